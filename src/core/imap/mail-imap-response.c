/* mail-imap-response.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-response-private.h"

/* The first block of the arena is allocated together with the response, so that a
 * typical FETCH (flags, size, envelope: well under a kilobyte of structs and strings)
 * costs one malloc. */
#define INLINE_ARENA_SIZE 1536
#define FIRST_CHUNK_SIZE  8192
#define MAX_CHUNK_SIZE    (1024 * 1024)

struct _MailImapArenaChunk
{
  MailImapArenaChunk *next;
  gsize               size;
};

/* Keeps the data after the header aligned. */
#define CHUNK_HEADER_SIZE \
  ((sizeof (MailImapArenaChunk) + MAIL_IMAP_ARENA_ALIGN - 1) & ~(gsize) (MAIL_IMAP_ARENA_ALIGN - 1))

typedef struct
{
  MailImapResponse  pub;
  gatomicrefcount   ref_count;
  MailImapArena     arena;
  MailImapLiteral  *literals;
  guint             n_literals;
  gint64            inline_arena[INLINE_ARENA_SIZE / sizeof (gint64)];
} MailImapResponseReal;

G_STATIC_ASSERT (MAIL_IMAP_ARENA_ALIGN <= sizeof (gint64));

G_DEFINE_BOXED_TYPE (MailImapResponse, mail_imap_response,
                     mail_imap_response_ref, mail_imap_response_unref)

MailImapResponse *
_mail_imap_response_new (gsize arena_cap)
{
  MailImapResponseReal *real = g_malloc (sizeof *real);

  memset (&real->pub, 0, sizeof real->pub);
  g_atomic_ref_count_init (&real->ref_count);
  real->arena.ptr = (guint8 *) real->inline_arena;
  real->arena.end = real->arena.ptr + sizeof real->inline_arena;
  real->arena.chunks = NULL;
  real->arena.total = sizeof real->inline_arena;
  real->arena.cap = MAX (arena_cap, sizeof real->inline_arena);
  real->arena.next_size = FIRST_CHUNK_SIZE;
  real->literals = NULL;
  real->n_literals = 0;

  return &real->pub;
}

MailImapArena *
_mail_imap_response_get_arena (MailImapResponse *self)
{
  return &((MailImapResponseReal *) self)->arena;
}

void
_mail_imap_response_take_literals (MailImapResponse *self,
                                   MailImapLiteral  *literals,
                                   guint             n_literals)
{
  MailImapResponseReal *real = (MailImapResponseReal *) self;

  g_assert (real->literals == NULL);

  real->literals = literals;
  real->n_literals = n_literals;
}

/* What @self takes in memory: the response with its first arena block, the arena's
 * other blocks, and its literals. For budgets on the responses a command keeps. */
gsize
_mail_imap_response_get_memory_size (const MailImapResponse *self)
{
  const MailImapResponseReal *real = (const MailImapResponseReal *) self;
  gsize size = sizeof *real + (real->arena.total - sizeof real->inline_arena);

  for (const MailImapArenaChunk *chunk = real->arena.chunks; chunk != NULL; chunk = chunk->next)
    size += CHUNK_HEADER_SIZE;
  for (guint i = 0; i < real->n_literals; i++)
    size += sizeof (MailImapLiteral) + real->literals[i].len + 1;

  return size;
}

gpointer
_mail_imap_arena_alloc_slow (MailImapArena *arena,
                             gsize          size)
{
  MailImapArenaChunk *chunk;
  gsize chunk_size = MAX (size, arena->next_size);

  if (chunk_size > arena->cap - MIN (arena->cap, arena->total))
    return NULL;

  chunk = g_malloc (CHUNK_HEADER_SIZE + chunk_size);
  chunk->next = arena->chunks;
  chunk->size = chunk_size;
  arena->chunks = chunk;
  arena->total += chunk_size;
  arena->next_size = MIN (arena->next_size * 2, MAX_CHUNK_SIZE);

  arena->ptr = (guint8 *) chunk + CHUNK_HEADER_SIZE + size;
  arena->end = (guint8 *) chunk + CHUNK_HEADER_SIZE + chunk_size;

  return (guint8 *) chunk + CHUNK_HEADER_SIZE;
}

/**
 * mail_imap_response_ref:
 * @self: a #MailImapResponse
 *
 * Returns: (transfer full): @self, with one more reference
 */
MailImapResponse *
mail_imap_response_ref (MailImapResponse *self)
{
  MailImapResponseReal *real = (MailImapResponseReal *) self;

  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&real->ref_count);
  return self;
}

/**
 * mail_imap_response_unref:
 * @self: (transfer full): a #MailImapResponse
 *
 * Drops a reference; the last one frees the response and everything it points to.
 */
void
mail_imap_response_unref (MailImapResponse *self)
{
  MailImapResponseReal *real = (MailImapResponseReal *) self;
  MailImapArenaChunk *chunk;

  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&real->ref_count))
    return;

  chunk = real->arena.chunks;
  while (chunk != NULL)
    {
      MailImapArenaChunk *next = chunk->next;

      g_free (chunk);
      chunk = next;
    }

  for (guint i = 0; i < real->n_literals; i++)
    g_free (real->literals[i].data);
  g_free (real->literals);

  g_free (real);
}

/**
 * mail_imap_response_is_tagged:
 * @self: a #MailImapResponse
 * @tag: a command tag
 *
 * Returns: %TRUE when @self is the completion of the command tagged @tag
 */
gboolean
mail_imap_response_is_tagged (const MailImapResponse *self,
                              const char             *tag)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  return self->kind == MAIL_IMAP_RESPONSE_TAGGED && strcmp (self->tag, tag) == 0;
}

/**
 * mail_imap_response_check:
 * @self: a tagged or untagged status response
 * @error: return location for a #GError
 *
 * Turns a status response into success or a #GError: OK and PREAUTH succeed; NO fails
 * with %MAIL_IMAP_ERROR_NO (or %MAIL_IMAP_ERROR_AUTH_FAILED, %MAIL_IMAP_ERROR_TRYCREATE,
 * %MAIL_IMAP_ERROR_OVERQUOTA, %MAIL_IMAP_ERROR_TEMPORARY for [INUSE] and [UNAVAILABLE]
 * when the response code says so), BAD with
 * %MAIL_IMAP_ERROR_BAD and BYE with %MAIL_IMAP_ERROR_BYE. The message is the server's
 * text, or a generic sentence when the server sent none.
 *
 * Returns: %TRUE for OK and PREAUTH
 */
gboolean
mail_imap_response_check (const MailImapResponse  *self,
                          GError                 **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return _mail_imap_response_check_text (self, TRUE, error);
}

/* As mail_imap_response_check(), but with @use_text %FALSE the message is always the
 * generic sentence: for responses that came before TLS, whose text anyone on the path
 * could have written. */
gboolean
_mail_imap_response_check_text (const MailImapResponse  *self,
                                gboolean                 use_text,
                                GError                 **error)
{
  MailImapError code;
  const char *fallback;

  switch (self->status)
    {
    case MAIL_IMAP_STATUS_OK:
    case MAIL_IMAP_STATUS_PREAUTH:
      return TRUE;

    case MAIL_IMAP_STATUS_BAD:
      code = MAIL_IMAP_ERROR_BAD;
      fallback = _("The server did not understand a command");
      break;

    case MAIL_IMAP_STATUS_BYE:
      code = MAIL_IMAP_ERROR_BYE;
      fallback = _("The server closed the connection");
      break;

    case MAIL_IMAP_STATUS_NO:
      switch (self->code.kind)
        {
        case MAIL_IMAP_CODE_AUTHENTICATIONFAILED:
        case MAIL_IMAP_CODE_AUTHORIZATIONFAILED:
          code = MAIL_IMAP_ERROR_AUTH_FAILED;
          fallback = _("The server refused the user name or password");
          break;
        case MAIL_IMAP_CODE_TRYCREATE:
          code = MAIL_IMAP_ERROR_TRYCREATE;
          fallback = _("The mailbox does not exist");
          break;
        case MAIL_IMAP_CODE_OVERQUOTA:
          code = MAIL_IMAP_ERROR_OVERQUOTA;
          fallback = _("The mailbox is over its quota");
          break;
        case MAIL_IMAP_CODE_INUSE:
        case MAIL_IMAP_CODE_UNAVAILABLE:
          code = MAIL_IMAP_ERROR_TEMPORARY;
          fallback = _("The server cannot do this right now");
          break;
        default:
          code = MAIL_IMAP_ERROR_NO;
          fallback = _("The server refused a command");
          break;
        }
      break;

    case MAIL_IMAP_STATUS_NONE:
    default:
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                           _("The server sent data where a status was expected"));
      return FALSE;
    }

  if (use_text && self->text != NULL && self->text[0] != '\0')
    g_set_error_literal (error, MAIL_IMAP_ERROR, code, self->text);
  else
    g_set_error_literal (error, MAIL_IMAP_ERROR, code, fallback);

  return FALSE;
}

/**
 * mail_imap_fetch_get_section:
 * @fetch: a #MailImapFetch
 * @kind: the kind of section
 * @section: (nullable): the section specification to match (ASCII case-insensitively),
 *   or %NULL for the first of @kind
 *
 * Returns: (nullable): the matching section
 */
const MailImapFetchSection *
mail_imap_fetch_get_section (const MailImapFetch *fetch,
                             MailImapSectionKind  kind,
                             const char          *section)
{
  g_return_val_if_fail (fetch != NULL, NULL);

  for (guint i = 0; i < fetch->n_sections; i++)
    {
      const MailImapFetchSection *s = &fetch->sections[i];

      if (s->kind == kind && (section == NULL || g_ascii_strcasecmp (s->section, section) == 0))
        return s;
    }

  return NULL;
}

/* The first @name field of the header in @data, unfolded, or %NULL. Stops at the blank
 * line that ends a header. */
static char *
find_header_field (const char *data,
                   gsize       len,
                   const char *name)
{
  gsize name_len = strlen (name);
  const char *p = data;
  const char *end = data + len;
  GString *value = NULL;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *next = nl != NULL ? nl + 1 : end;
      gsize line_len = (gsize) ((nl != NULL ? nl : end) - p);

      if (line_len > 0 && p[line_len - 1] == '\r')
        line_len--;

      if (value != NULL)
        {
          /* A folded line continues the field. */
          if (line_len == 0 || (p[0] != ' ' && p[0] != '\t'))
            break;
          g_string_append_len (value, p, (gssize) line_len);
        }
      else if (line_len == 0)
        {
          break;
        }
      else if (line_len > name_len && g_ascii_strncasecmp (p, name, name_len) == 0)
        {
          gsize i = name_len;

          while (i < line_len && (p[i] == ' ' || p[i] == '\t'))
            i++;
          if (i < line_len && p[i] == ':')
            value = g_string_new_len (p + i + 1, (gssize) (line_len - i - 1));
        }

      p = next;
    }

  if (value == NULL)
    return NULL;

  return g_strstrip (g_string_free (value, FALSE));
}

/**
 * mail_imap_fetch_dup_header:
 * @fetch: a #MailImapFetch
 * @name: a header field name, such as "References" or "In-Reply-To"
 *
 * Finds a header field in what the FETCH carried of the message's header: a
 * BODY[HEADER.FIELDS (...)] (see #MailImapFetchOptions's header_fields), BODY[HEADER],
 * RFC822.HEADER or a whole BODY[]. The field is unfolded (its line breaks removed) and
 * trimmed, and otherwise left as sent: encoded-words are not decoded, and 8-bit bytes
 * are not checked. For a field that occurs several times, the first.
 *
 * Returns: (transfer full) (nullable): the field's value, "" when it is empty, or %NULL
 *   when the message has no such field (or none of its header was fetched)
 */
char *
mail_imap_fetch_dup_header (const MailImapFetch *fetch,
                            const char          *name)
{
  g_return_val_if_fail (fetch != NULL, NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  for (guint i = 0; i < fetch->n_sections; i++)
    {
      const MailImapFetchSection *s = &fetch->sections[i];
      gboolean header;
      char *value;

      if (s->data == NULL || (s->has_origin && s->origin > 0))
        continue;

      header = (s->kind == MAIL_IMAP_SECTION_BODY
                && (s->section[0] == '\0'
                    || g_ascii_strncasecmp (s->section, "HEADER", 6) == 0))
               || s->kind == MAIL_IMAP_SECTION_RFC822_HEADER
               || s->kind == MAIL_IMAP_SECTION_RFC822;
      if (!header)
        continue;

      value = find_header_field (s->data, s->len, name);
      if (value != NULL)
        return value;
    }

  return NULL;
}

/**
 * mail_imap_fetch_get_extra:
 * @fetch: a #MailImapFetch
 * @name: an item name, such as "X-GM-LABELS"
 *
 * Returns: (nullable): the value of the item this parser has no field for
 */
const MailImapValue *
mail_imap_fetch_get_extra (const MailImapFetch *fetch,
                           const char          *name)
{
  g_return_val_if_fail (fetch != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < fetch->n_extra; i++)
    if (g_ascii_strcasecmp (fetch->extra[i].name, name) == 0)
      return &fetch->extra[i].value;

  return NULL;
}

/**
 * mail_imap_capabilities_contain:
 * @capabilities: (nullable) (array zero-terminated=1): capabilities, as in a CAPABILITY
 *   response
 * @name: a capability, such as "IDLE" or "AUTH=PLAIN"
 *
 * Returns: %TRUE when @name is among @capabilities (ASCII case-insensitively)
 */
gboolean
mail_imap_capabilities_contain (const char * const *capabilities,
                                const char         *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (capabilities == NULL)
    return FALSE;

  for (guint i = 0; capabilities[i] != NULL; i++)
    if (g_ascii_strcasecmp (capabilities[i], name) == 0)
      return TRUE;

  return FALSE;
}

/**
 * mail_imap_flag_from_string:
 * @flag: a flag, such as "\Seen" or "$Junk"
 *
 * Returns: the bit of @flag, or %MAIL_IMAP_FLAG_NONE for a keyword this parser does not know
 */
MailImapFlags
mail_imap_flag_from_string (const char *flag)
{
  static const struct {
    const char    *name;
    MailImapFlags  bit;
  } flags[] = {
    { "\\Seen", MAIL_IMAP_FLAG_SEEN },
    { "\\Answered", MAIL_IMAP_FLAG_ANSWERED },
    { "\\Flagged", MAIL_IMAP_FLAG_FLAGGED },
    { "\\Deleted", MAIL_IMAP_FLAG_DELETED },
    { "\\Draft", MAIL_IMAP_FLAG_DRAFT },
    { "\\Recent", MAIL_IMAP_FLAG_RECENT },
    { "\\*", MAIL_IMAP_FLAG_ANY },
    { "$Forwarded", MAIL_IMAP_FLAG_FORWARDED },
    { "$Junk", MAIL_IMAP_FLAG_JUNK },
    { "$NotJunk", MAIL_IMAP_FLAG_NOT_JUNK },
    { "$MDNSent", MAIL_IMAP_FLAG_MDN_SENT },
    { "$Phishing", MAIL_IMAP_FLAG_PHISHING },
  };

  g_return_val_if_fail (flag != NULL, MAIL_IMAP_FLAG_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (g_ascii_strcasecmp (flag, flags[i].name) == 0)
      return flags[i].bit;

  return MAIL_IMAP_FLAG_NONE;
}

static const char * const code_names[] = {
  [MAIL_IMAP_CODE_NONE] = NULL,
  [MAIL_IMAP_CODE_UNKNOWN] = NULL,
  [MAIL_IMAP_CODE_ALERT] = "ALERT",
  [MAIL_IMAP_CODE_BADCHARSET] = "BADCHARSET",
  [MAIL_IMAP_CODE_CAPABILITY] = "CAPABILITY",
  [MAIL_IMAP_CODE_PARSE] = "PARSE",
  [MAIL_IMAP_CODE_PERMANENTFLAGS] = "PERMANENTFLAGS",
  [MAIL_IMAP_CODE_READ_ONLY] = "READ-ONLY",
  [MAIL_IMAP_CODE_READ_WRITE] = "READ-WRITE",
  [MAIL_IMAP_CODE_TRYCREATE] = "TRYCREATE",
  [MAIL_IMAP_CODE_UIDNEXT] = "UIDNEXT",
  [MAIL_IMAP_CODE_UIDVALIDITY] = "UIDVALIDITY",
  [MAIL_IMAP_CODE_UNSEEN] = "UNSEEN",
  [MAIL_IMAP_CODE_HIGHESTMODSEQ] = "HIGHESTMODSEQ",
  [MAIL_IMAP_CODE_NOMODSEQ] = "NOMODSEQ",
  [MAIL_IMAP_CODE_MODIFIED] = "MODIFIED",
  [MAIL_IMAP_CODE_APPENDUID] = "APPENDUID",
  [MAIL_IMAP_CODE_COPYUID] = "COPYUID",
  [MAIL_IMAP_CODE_UIDNOTSTICKY] = "UIDNOTSTICKY",
  [MAIL_IMAP_CODE_CLOSED] = "CLOSED",
  [MAIL_IMAP_CODE_OVERQUOTA] = "OVERQUOTA",
  [MAIL_IMAP_CODE_UNAVAILABLE] = "UNAVAILABLE",
  [MAIL_IMAP_CODE_AUTHENTICATIONFAILED] = "AUTHENTICATIONFAILED",
  [MAIL_IMAP_CODE_AUTHORIZATIONFAILED] = "AUTHORIZATIONFAILED",
  [MAIL_IMAP_CODE_EXPIRED] = "EXPIRED",
  [MAIL_IMAP_CODE_PRIVACYREQUIRED] = "PRIVACYREQUIRED",
  [MAIL_IMAP_CODE_CONTACTADMIN] = "CONTACTADMIN",
  [MAIL_IMAP_CODE_NOPERM] = "NOPERM",
  [MAIL_IMAP_CODE_INUSE] = "INUSE",
  [MAIL_IMAP_CODE_EXPUNGEISSUED] = "EXPUNGEISSUED",
  [MAIL_IMAP_CODE_CORRUPTION] = "CORRUPTION",
  [MAIL_IMAP_CODE_SERVERBUG] = "SERVERBUG",
  [MAIL_IMAP_CODE_CLIENTBUG] = "CLIENTBUG",
  [MAIL_IMAP_CODE_CANNOT] = "CANNOT",
  [MAIL_IMAP_CODE_LIMIT] = "LIMIT",
  [MAIL_IMAP_CODE_ALREADYEXISTS] = "ALREADYEXISTS",
  [MAIL_IMAP_CODE_NONEXISTENT] = "NONEXISTENT",
  [MAIL_IMAP_CODE_HASCHILDREN] = "HASCHILDREN",
  [MAIL_IMAP_CODE_UNKNOWN_CTE] = "UNKNOWN-CTE",
  [MAIL_IMAP_CODE_COMPRESSIONACTIVE] = "COMPRESSIONACTIVE",
  [MAIL_IMAP_CODE_NOTSAVED] = "NOTSAVED",
  [MAIL_IMAP_CODE_MAILBOXID] = "MAILBOXID",
  [MAIL_IMAP_CODE_USEATTR] = "USEATTR",
};

/**
 * mail_imap_code_kind_to_string:
 * @kind: a #MailImapCodeKind
 *
 * Returns: (nullable): the code's name as IMAP spells it, or %NULL for
 *   %MAIL_IMAP_CODE_NONE and %MAIL_IMAP_CODE_UNKNOWN
 */
const char *
mail_imap_code_kind_to_string (MailImapCodeKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (code_names))
    return NULL;

  return code_names[kind];
}

/* Used by the parser to map a code name to its kind. */
MailImapCodeKind
_mail_imap_code_kind_from_name (const char *name,
                                gsize       len)
{
  for (guint i = MAIL_IMAP_CODE_ALERT; i < G_N_ELEMENTS (code_names); i++)
    if (strlen (code_names[i]) == len && g_ascii_strncasecmp (code_names[i], name, len) == 0)
      return (MailImapCodeKind) i;

  return MAIL_IMAP_CODE_UNKNOWN;
}

/**
 * mail_imap_response_kind_to_string:
 * @kind: a #MailImapResponseKind
 *
 * Returns: a name for @kind, for logs and tests
 */
const char *
mail_imap_response_kind_to_string (MailImapResponseKind kind)
{
  static const char * const names[] = {
    [MAIL_IMAP_RESPONSE_CONTINUATION] = "continuation",
    [MAIL_IMAP_RESPONSE_TAGGED] = "tagged",
    [MAIL_IMAP_RESPONSE_STATUS] = "status",
    [MAIL_IMAP_RESPONSE_CAPABILITY] = "capability",
    [MAIL_IMAP_RESPONSE_ENABLED] = "enabled",
    [MAIL_IMAP_RESPONSE_LIST] = "list",
    [MAIL_IMAP_RESPONSE_LSUB] = "lsub",
    [MAIL_IMAP_RESPONSE_MAILBOX_STATUS] = "mailbox-status",
    [MAIL_IMAP_RESPONSE_SEARCH] = "search",
    [MAIL_IMAP_RESPONSE_ESEARCH] = "esearch",
    [MAIL_IMAP_RESPONSE_FLAGS] = "flags",
    [MAIL_IMAP_RESPONSE_EXISTS] = "exists",
    [MAIL_IMAP_RESPONSE_RECENT] = "recent",
    [MAIL_IMAP_RESPONSE_EXPUNGE] = "expunge",
    [MAIL_IMAP_RESPONSE_VANISHED] = "vanished",
    [MAIL_IMAP_RESPONSE_FETCH] = "fetch",
    [MAIL_IMAP_RESPONSE_QUOTA] = "quota",
    [MAIL_IMAP_RESPONSE_QUOTAROOT] = "quotaroot",
    [MAIL_IMAP_RESPONSE_NAMESPACE] = "namespace",
    [MAIL_IMAP_RESPONSE_ID] = "id",
    [MAIL_IMAP_RESPONSE_OTHER] = "other",
  };

  if ((guint) kind >= G_N_ELEMENTS (names))
    return "invalid";

  return names[kind];
}

/* Writing a response as text, for protocol logs, tests and the fuzzer: deterministic and
 * complete, with every byte outside printable ASCII escaped. */

static void
dump_bytes (GString    *out,
            const char *s,
            gsize       len)
{
  if (s == NULL)
    {
      g_string_append (out, "NIL");
      return;
    }

  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
dump_str (GString    *out,
          const char *s)
{
  dump_bytes (out, s, s != NULL ? strlen (s) : 0);
}

static void
dump_strv (GString            *out,
           const char * const *strv)
{
  if (strv == NULL)
    {
      g_string_append (out, "NIL");
      return;
    }

  g_string_append_c (out, '(');
  for (guint i = 0; strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      dump_str (out, strv[i]);
    }
  g_string_append_c (out, ')');
}

static void
dump_set (GString           *out,
          const MailImapSet *set)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < set->n_ranges; i++)
    g_string_append_printf (out, "%s%u:%u", i > 0 ? "," : "",
                            set->ranges[i].first, set->ranges[i].last);
  g_string_append_c (out, ']');
}

static void
dump_mailbox (GString                   *out,
              const MailImapMailboxName *name)
{
  dump_str (out, name->name);
  if (name->raw != NULL && strcmp (name->raw, name->name) != 0)
    {
      g_string_append (out, " raw=");
      dump_str (out, name->raw);
    }
  if (name->invalid)
    g_string_append (out, " invalid");
}

static void
dump_value (GString             *out,
            const MailImapValue *v)
{
  switch (v->type)
    {
    case MAIL_IMAP_VALUE_NIL:
      g_string_append (out, "NIL");
      break;
    case MAIL_IMAP_VALUE_ATOM:
      g_string_append_printf (out, "%s", v->str);
      break;
    case MAIL_IMAP_VALUE_STRING:
      dump_bytes (out, v->str, v->len);
      break;
    case MAIL_IMAP_VALUE_LIST:
    default:
      g_string_append_c (out, '(');
      for (guint i = 0; i < v->n_items; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          dump_value (out, &v->items[i]);
        }
      g_string_append_c (out, ')');
      break;
    }
}

static void
dump_tagged_values (GString                   *out,
                    const MailImapTaggedValue *values,
                    guint                      n)
{
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (out, " %s=", values[i].name);
      dump_value (out, &values[i].value);
    }
}

static void
dump_params (GString             *out,
             const MailImapParam *params,
             guint                n)
{
  g_string_append_c (out, '(');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      dump_str (out, params[i].name);
      g_string_append_c (out, '=');
      dump_str (out, params[i].value);
    }
  g_string_append_c (out, ')');
}

static void
dump_addresses (GString               *out,
                const MailImapAddress *a)
{
  if (a == NULL)
    {
      g_string_append (out, "NIL");
      return;
    }

  g_string_append_c (out, '(');
  for (; a != NULL; a = a->next)
    {
      if (a->is_group)
        {
          g_string_append (out, "group:");
          dump_str (out, a->mailbox);
          g_string_append_c (out, ':');
          dump_addresses (out, a->members);
        }
      else
        {
          g_string_append_c (out, '<');
          dump_str (out, a->name);
          g_string_append_c (out, ' ');
          dump_str (out, a->adl);
          g_string_append_c (out, ' ');
          dump_str (out, a->mailbox);
          g_string_append_c (out, ' ');
          dump_str (out, a->host);
          g_string_append_c (out, '>');
        }
      if (a->next != NULL)
        g_string_append_c (out, ' ');
    }
  g_string_append_c (out, ')');
}

static void
dump_envelope (GString                *out,
               const MailImapEnvelope *e)
{
  if (e == NULL)
    {
      g_string_append (out, "NIL");
      return;
    }

  g_string_append (out, "(date=");
  dump_str (out, e->date);
  g_string_append (out, " subject=");
  dump_str (out, e->subject);
  g_string_append (out, " from=");
  dump_addresses (out, e->from);
  g_string_append (out, " sender=");
  dump_addresses (out, e->sender);
  g_string_append (out, " reply-to=");
  dump_addresses (out, e->reply_to);
  g_string_append (out, " to=");
  dump_addresses (out, e->to);
  g_string_append (out, " cc=");
  dump_addresses (out, e->cc);
  g_string_append (out, " bcc=");
  dump_addresses (out, e->bcc);
  g_string_append (out, " in-reply-to=");
  dump_str (out, e->in_reply_to);
  g_string_append (out, " message-id=");
  dump_str (out, e->message_id);
  g_string_append_c (out, ')');
}

static void
dump_body (GString            *out,
           const MailImapBody *b)
{
  if (b->truncated)
    {
      g_string_append (out, "(truncated)");
      return;
    }

  g_string_append_c (out, '(');
  dump_str (out, b->type);
  g_string_append_c (out, '/');
  dump_str (out, b->subtype);
  g_string_append (out, " params=");
  dump_params (out, b->params, b->n_params);
  if (b->id != NULL || b->description != NULL || b->encoding != NULL)
    {
      g_string_append (out, " id=");
      dump_str (out, b->id);
      g_string_append (out, " description=");
      dump_str (out, b->description);
      g_string_append (out, " encoding=");
      dump_str (out, b->encoding);
    }
  g_string_append_printf (out, " size=%" G_GUINT64_FORMAT " lines=%" G_GUINT64_FORMAT,
                          b->size, b->lines);
  if (b->envelope != NULL)
    {
      g_string_append (out, " envelope=");
      dump_envelope (out, b->envelope);
    }
  for (guint i = 0; i < b->n_children; i++)
    {
      g_string_append_c (out, ' ');
      dump_body (out, &b->children[i]);
    }
  if (b->md5 != NULL)
    {
      g_string_append (out, " md5=");
      dump_str (out, b->md5);
    }
  if (b->disposition != NULL)
    {
      g_string_append (out, " disposition=");
      dump_str (out, b->disposition);
      dump_params (out, b->disposition_params, b->n_disposition_params);
    }
  if (b->language != NULL)
    {
      g_string_append (out, " language=");
      dump_strv (out, b->language);
    }
  if (b->location != NULL)
    {
      g_string_append (out, " location=");
      dump_str (out, b->location);
    }
  for (guint i = 0; i < b->n_extensions; i++)
    {
      g_string_append (out, " ext=");
      dump_value (out, &b->extensions[i]);
    }
  g_string_append_c (out, ')');
}

static void
dump_fetch (GString             *out,
            const MailImapFetch *f)
{
  static const char * const section_names[] = {
    [MAIL_IMAP_SECTION_BODY] = "BODY",
    [MAIL_IMAP_SECTION_BINARY] = "BINARY",
    [MAIL_IMAP_SECTION_BINARY_SIZE] = "BINARY.SIZE",
    [MAIL_IMAP_SECTION_RFC822] = "RFC822",
    [MAIL_IMAP_SECTION_RFC822_HEADER] = "RFC822.HEADER",
    [MAIL_IMAP_SECTION_RFC822_TEXT] = "RFC822.TEXT",
  };

  if (f->items & MAIL_IMAP_FETCH_UID)
    g_string_append_printf (out, " uid=%u", f->uid);
  if (f->items & MAIL_IMAP_FETCH_FLAGS)
    {
      g_string_append_printf (out, " flags=%x", f->flags.bits);
      dump_strv (out, f->flags.names);
    }
  if (f->internaldate_raw != NULL)
    {
      g_string_append (out, " internaldate=");
      dump_str (out, f->internaldate_raw);
      if (f->items & MAIL_IMAP_FETCH_INTERNALDATE)
        g_string_append_printf (out, "=%" G_GINT64_FORMAT, f->internaldate);
    }
  if (f->items & MAIL_IMAP_FETCH_RFC822_SIZE)
    g_string_append_printf (out, " size=%" G_GUINT64_FORMAT, f->rfc822_size);
  if (f->items & MAIL_IMAP_FETCH_MODSEQ)
    g_string_append_printf (out, " modseq=%" G_GUINT64_FORMAT, f->modseq);
  if (f->items & MAIL_IMAP_FETCH_ENVELOPE)
    {
      g_string_append (out, " envelope=");
      dump_envelope (out, f->envelope);
    }
  if (f->body != NULL)
    {
      g_string_append (out, f->items & MAIL_IMAP_FETCH_BODYSTRUCTURE ? " bodystructure=" : " body=");
      dump_body (out, f->body);
    }
  for (guint i = 0; i < f->n_sections; i++)
    {
      const MailImapFetchSection *s = &f->sections[i];

      g_string_append_printf (out, " %s[%s]", section_names[s->kind], s->section);
      if (s->has_origin)
        g_string_append_printf (out, "<%" G_GUINT64_FORMAT ">", s->origin);
      g_string_append_c (out, '=');
      if (s->kind == MAIL_IMAP_SECTION_BINARY_SIZE)
        g_string_append_printf (out, "%" G_GUINT64_FORMAT, s->binary_size);
      else
        dump_bytes (out, s->data, s->len);
    }
  dump_tagged_values (out, f->extra, f->n_extra);
}

static void
dump_code (GString                    *out,
           const MailImapResponseCode *code)
{
  if (code->kind == MAIL_IMAP_CODE_NONE)
    return;

  g_string_append_printf (out, " [%s%s", code->kind == MAIL_IMAP_CODE_UNKNOWN ? "?" : "",
                          code->name);
  switch (code->kind)
    {
    case MAIL_IMAP_CODE_UIDNEXT:
    case MAIL_IMAP_CODE_UIDVALIDITY:
    case MAIL_IMAP_CODE_UNSEEN:
    case MAIL_IMAP_CODE_HIGHESTMODSEQ:
      g_string_append_printf (out, " %" G_GUINT64_FORMAT, code->number);
      break;
    case MAIL_IMAP_CODE_CAPABILITY:
    case MAIL_IMAP_CODE_BADCHARSET:
    case MAIL_IMAP_CODE_MAILBOXID:
      g_string_append_c (out, ' ');
      dump_strv (out, code->atoms);
      break;
    case MAIL_IMAP_CODE_PERMANENTFLAGS:
      g_string_append_printf (out, " %x", code->flags.bits);
      dump_strv (out, code->flags.names);
      break;
    case MAIL_IMAP_CODE_APPENDUID:
    case MAIL_IMAP_CODE_COPYUID:
      g_string_append_printf (out, " %" G_GUINT64_FORMAT " ", code->number);
      if (code->kind == MAIL_IMAP_CODE_COPYUID)
        dump_set (out, &code->source_uids);
      dump_set (out, &code->uids);
      break;
    case MAIL_IMAP_CODE_MODIFIED:
      g_string_append_c (out, ' ');
      dump_set (out, &code->uids);
      break;
    default:
      if (code->text != NULL)
        {
          g_string_append_c (out, ' ');
          dump_str (out, code->text);
        }
      break;
    }
  g_string_append_c (out, ']');
}

static void
dump_namespaces (GString                 *out,
                 const MailImapNamespace *ns,
                 guint                    n)
{
  g_string_append_c (out, ' ');
  if (ns == NULL)
    {
      g_string_append (out, "NIL");
      return;
    }

  g_string_append_c (out, '(');
  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (out, '(');
      dump_mailbox (out, &ns[i].prefix);
      g_string_append_printf (out, " %u", ns[i].delimiter);
      dump_tagged_values (out, ns[i].extensions, ns[i].n_extensions);
      g_string_append_c (out, ')');
    }
  g_string_append_c (out, ')');
}

/**
 * mail_imap_response_to_string:
 * @self: a #MailImapResponse
 *
 * Describes @self in one line, every field included: for logs and tests. The format is
 * not meant to be parsed.
 *
 * Returns: (transfer full): the description
 */
char *
mail_imap_response_to_string (const MailImapResponse *self)
{
  static const char * const status_names[] = { "", "OK", "NO", "BAD", "PREAUTH", "BYE" };
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (mail_imap_response_kind_to_string (self->kind));

  switch (self->kind)
    {
    case MAIL_IMAP_RESPONSE_CONTINUATION:
      g_string_append_c (out, ' ');
      dump_str (out, self->text);
      break;

    case MAIL_IMAP_RESPONSE_TAGGED:
    case MAIL_IMAP_RESPONSE_STATUS:
      if (self->tag != NULL)
        g_string_append_printf (out, " %s", self->tag);
      g_string_append_printf (out, " %s", status_names[self->status]);
      dump_code (out, &self->code);
      g_string_append_c (out, ' ');
      dump_str (out, self->text);
      break;

    case MAIL_IMAP_RESPONSE_CAPABILITY:
    case MAIL_IMAP_RESPONSE_ENABLED:
      g_string_append_c (out, ' ');
      dump_strv (out, self->capability);
      break;

    case MAIL_IMAP_RESPONSE_FLAGS:
      g_string_append_printf (out, " %x", self->flags.bits);
      dump_strv (out, self->flags.names);
      break;

    case MAIL_IMAP_RESPONSE_LIST:
    case MAIL_IMAP_RESPONSE_LSUB:
      g_string_append_printf (out, " %x", self->list.attributes);
      dump_strv (out, self->list.attribute_names);
      g_string_append_printf (out, " %u ", self->list.delimiter);
      dump_mailbox (out, &self->list.mailbox);
      if (self->list.childinfo != NULL)
        {
          g_string_append (out, " childinfo=");
          dump_strv (out, self->list.childinfo);
        }
      if (self->list.oldname.raw != NULL)
        {
          g_string_append (out, " oldname=");
          dump_mailbox (out, &self->list.oldname);
        }
      dump_tagged_values (out, self->list.extended, self->list.n_extended);
      break;

    case MAIL_IMAP_RESPONSE_MAILBOX_STATUS:
      {
        const MailImapStatusData *s = &self->mailbox_status;

        g_string_append_c (out, ' ');
        dump_mailbox (out, &s->mailbox);
        g_string_append_printf (out, " items=%x messages=%u recent=%u uidnext=%u "
                                "uidvalidity=%u unseen=%u deleted=%u size=%" G_GUINT64_FORMAT
                                " highestmodseq=%" G_GUINT64_FORMAT
                                " appendlimit=%" G_GUINT64_FORMAT " mailboxid=",
                                s->items, s->messages, s->recent, s->uidnext, s->uidvalidity,
                                s->unseen, s->deleted, s->size, s->highestmodseq,
                                s->appendlimit);
        dump_str (out, s->mailboxid);
      }
      break;

    case MAIL_IMAP_RESPONSE_SEARCH:
      for (guint i = 0; i < self->search.n_numbers; i++)
        g_string_append_printf (out, " %u", self->search.numbers[i]);
      if (self->search.has_modseq)
        g_string_append_printf (out, " modseq=%" G_GUINT64_FORMAT, self->search.modseq);
      break;

    case MAIL_IMAP_RESPONSE_ESEARCH:
      {
        const MailImapEsearchData *e = &self->esearch;

        g_string_append (out, " tag=");
        dump_str (out, e->tag);
        if (e->mailbox.raw != NULL)
          {
            g_string_append (out, " mailbox=");
            dump_mailbox (out, &e->mailbox);
            g_string_append_printf (out, " uidvalidity=%u", e->uidvalidity);
          }
        g_string_append_printf (out, " uid=%d items=%x min=%u max=%u count=%u all=", e->uid,
                                e->items, e->min, e->max, e->count);
        dump_set (out, &e->all);
        g_string_append_printf (out, " modseq=%" G_GUINT64_FORMAT, e->modseq);
        dump_tagged_values (out, e->extra, e->n_extra);
      }
      break;

    case MAIL_IMAP_RESPONSE_EXISTS:
    case MAIL_IMAP_RESPONSE_RECENT:
    case MAIL_IMAP_RESPONSE_EXPUNGE:
      g_string_append_printf (out, " %u", self->number);
      break;

    case MAIL_IMAP_RESPONSE_VANISHED:
      g_string_append (out, self->vanished.earlier ? " earlier " : " ");
      dump_set (out, &self->vanished.uids);
      break;

    case MAIL_IMAP_RESPONSE_FETCH:
      g_string_append_printf (out, " %u", self->number);
      dump_fetch (out, &self->fetch);
      break;

    case MAIL_IMAP_RESPONSE_QUOTA:
      g_string_append_c (out, ' ');
      dump_str (out, self->quota.root);
      for (guint i = 0; i < self->quota.n_resources; i++)
        g_string_append_printf (out, " %s=%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                                self->quota.resources[i].name, self->quota.resources[i].usage,
                                self->quota.resources[i].limit);
      break;

    case MAIL_IMAP_RESPONSE_QUOTAROOT:
      g_string_append_c (out, ' ');
      dump_mailbox (out, &self->quotaroot.mailbox);
      g_string_append_c (out, ' ');
      dump_strv (out, self->quotaroot.roots);
      break;

    case MAIL_IMAP_RESPONSE_NAMESPACE:
      dump_namespaces (out, self->ns.personal, self->ns.n_personal);
      dump_namespaces (out, self->ns.other, self->ns.n_other);
      dump_namespaces (out, self->ns.shared, self->ns.n_shared);
      break;

    case MAIL_IMAP_RESPONSE_ID:
      g_string_append_c (out, ' ');
      if (self->id.params == NULL)
        g_string_append (out, "NIL");
      else
        dump_params (out, self->id.params, self->id.n_params);
      break;

    case MAIL_IMAP_RESPONSE_OTHER:
    default:
      if (self->number != 0)
        g_string_append_printf (out, " %u", self->number);
      g_string_append_printf (out, " %s", self->other.name);
      for (guint i = 0; i < self->other.n_values; i++)
        {
          g_string_append_c (out, ' ');
          dump_value (out, &self->other.values[i]);
        }
      break;
    }

  return g_string_free (out, FALSE);
}
