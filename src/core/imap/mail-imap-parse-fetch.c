/* mail-imap-parse-fetch.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* FETCH responses: UID, FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODYSTRUCTURE, BODY,
 * BODY[section]<origin>, BINARY[section], BINARY.SIZE[section], RFC822*, MODSEQ, and any
 * other item as a generic value. This is the hot path of a mailbox sync: no allocation
 * outside the response's arena, no hash tables, items matched by length and bytes. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-parser-private.h"

/* How much nesting a body part needs below its own parenthesis: a message/rfc822 part
 * holds an envelope, which holds address lists of addresses. A body this close to the
 * depth limit is skipped and marked truncated rather than refused. */
#define BODY_DEPTH_MARGIN 4

typedef struct _SectionNode SectionNode;
struct _SectionNode
{
  MailImapFetchSection  section;
  SectionNode          *next;
};

typedef struct _ExtraNode ExtraNode;
struct _ExtraNode
{
  MailImapTaggedValue  item;
  ExtraNode           *next;
};

static gboolean
fail (MailImapTokenizer *t,
      const char        *what)
{
  return mail_imap_tokenizer_fail (t, MAIL_IMAP_ERROR_PROTOCOL, "%s", what);
}

static gboolean
more_in_list (MailImapTokenizer *t)
{
  while (mail_imap_tokenizer_try (t, ' '))
    ;

  return !mail_imap_tokenizer_at_end (t) && mail_imap_tokenizer_peek (t) != ')';
}

static gboolean
parse_address_list (MailImapTokenizer      *t,
                    const MailImapAddress **out)
{
  const MailImapAddress **tail = out;
  const MailImapAddress **member_tail = NULL;
  guint count = 0;

  *out = NULL;

  if (mail_imap_tokenizer_try_nil (t))
    return TRUE;

  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      MailImapAddress *a = mail_imap_tokenizer_alloc0 (t, sizeof *a);
      gsize len;

      if (a == NULL
          || !mail_imap_tokenizer_list_open (t)
          || !mail_imap_tokenizer_nstring (t, &a->name, &len)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_nstring (t, &a->adl, &len)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_nstring (t, &a->mailbox, &len)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_nstring (t, &a->host, &len)
          || !mail_imap_tokenizer_list_close (t))
        return FALSE;

      /* RFC 3501 section 7.4.2: a NIL host marks a group; with a mailbox (the group's
       * name) it starts one, without it ends one. Groups do not nest in RFC 5322, so a
       * start inside a group ends the previous one. */
      if (a->host == NULL)
        {
          if (a->mailbox != NULL)
            {
              a->is_group = TRUE;
              *tail = a;
              tail = &a->next;
              member_tail = &a->members;
            }
          else
            {
              member_tail = NULL;
            }
          continue;
        }

      if (member_tail != NULL)
        {
          *member_tail = a;
          member_tail = &a->next;
        }
      else
        {
          *tail = a;
          tail = &a->next;
        }
    }

  return !t->failed;
}

gboolean
_mail_imap_parse_envelope (MailImapTokenizer       *t,
                           const MailImapEnvelope **out)
{
  MailImapEnvelope *e;
  gsize len;

  *out = NULL;
  if (mail_imap_tokenizer_try_nil (t))
    return TRUE;

  e = mail_imap_tokenizer_alloc0 (t, sizeof *e);
  if (e == NULL
      || !mail_imap_tokenizer_list_open (t)
      || !mail_imap_tokenizer_nstring (t, &e->date, &len)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_nstring (t, &e->subject, &len)
      || !mail_imap_tokenizer_sp (t)
      || !parse_address_list (t, &e->from)
      || !mail_imap_tokenizer_sp (t)
      || !parse_address_list (t, &e->sender)
      || !mail_imap_tokenizer_sp (t)
      || !parse_address_list (t, &e->reply_to)
      || !mail_imap_tokenizer_sp (t)
      || !parse_address_list (t, &e->to)
      || !mail_imap_tokenizer_sp (t)
      || !parse_address_list (t, &e->cc)
      || !mail_imap_tokenizer_sp (t)
      || !parse_address_list (t, &e->bcc)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_nstring (t, &e->in_reply_to, &len)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_nstring (t, &e->message_id, &len)
      || !mail_imap_tokenizer_list_close (t))
    return FALSE;

  *out = e;
  return TRUE;
}

/* body-fld-param: NIL / "(" string SP string *(SP string SP string) ")"; names are
 * lower-cased, values kept (a NIL value is tolerated). */
static gboolean
parse_params (MailImapTokenizer    *t,
              const MailImapParam **out,
              guint                *n_out)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  guint count = 0;

  *out = NULL;
  *n_out = 0;

  if (mail_imap_tokenizer_try_nil (t))
    return TRUE;

  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      MailImapParam param;
      const char *name;
      gsize len;

      if (!mail_imap_tokenizer_string (t, &name, &len)
          || (param.name = mail_imap_tokenizer_strdown (t, name)) == NULL
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_nstring (t, &param.value, &len)
          || !mail_imap_tokenizer_scratch_push (t, &param, sizeof param))
        return FALSE;
    }

  if (t->failed)
    return FALSE;

  *out = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapParam), n_out);
  return !t->failed;
}

/* The extension fields shared by single parts and multiparts, from body-fld-dsp on:
 * [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]] */
static gboolean
parse_body_extension_tail (MailImapTokenizer *t,
                           MailImapBody      *b)
{
  guint mark;
  guint count = 0;
  gsize len;

  if (!more_in_list (t))
    return TRUE;

  /* body-fld-dsp */
  if (!mail_imap_tokenizer_try_nil (t))
    {
      const char *type;

      if (!mail_imap_tokenizer_list_open (t)
          || !mail_imap_tokenizer_string (t, &type, &len)
          || (b->disposition = mail_imap_tokenizer_strdown (t, type)) == NULL
          || !mail_imap_tokenizer_sp (t)
          || !parse_params (t, &b->disposition_params, &b->n_disposition_params)
          || !mail_imap_tokenizer_list_close (t))
        return FALSE;
    }

  if (!more_in_list (t))
    return TRUE;

  /* body-fld-lang */
  if (mail_imap_tokenizer_peek (t) == '(')
    {
      if (!mail_imap_tokenizer_string_list (t, &b->language))
        return FALSE;
    }
  else
    {
      const char *lang;

      if (!mail_imap_tokenizer_nstring (t, &lang, &len))
        return FALSE;
      if (lang != NULL)
        {
          const char **strv = mail_imap_tokenizer_alloc0 (t, 2 * sizeof (char *));

          if (strv == NULL)
            return FALSE;
          strv[0] = lang;
          b->language = strv;
        }
    }

  if (!more_in_list (t))
    return TRUE;

  /* body-fld-loc */
  if (!mail_imap_tokenizer_nstring (t, &b->location, &len))
    return FALSE;

  /* body-extension */
  mark = mail_imap_tokenizer_scratch_mark (t);
  while (more_in_list (t))
    {
      MailImapValue value;

      if (!mail_imap_tokenizer_count_item (t, &count)
          || !mail_imap_tokenizer_value (t, &value)
          || !mail_imap_tokenizer_scratch_push (t, &value, sizeof value))
        return FALSE;
    }

  b->extensions = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapValue),
                                                      &b->n_extensions);
  return !t->failed;
}

static gboolean parse_body (MailImapTokenizer *t,
                            MailImapBody      *b);

static gboolean
parse_multipart (MailImapTokenizer *t,
                 MailImapBody      *b)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  guint count = 0;
  const char *subtype;
  gsize len;

  /* 1*body, with no space between the parts (one is tolerated). */
  do
    {
      MailImapBody child;

      memset (&child, 0, sizeof child);
      if (!mail_imap_tokenizer_count_item (t, &count)
          || !parse_body (t, &child)
          || !mail_imap_tokenizer_scratch_push (t, &child, sizeof child))
        return FALSE;

      while (mail_imap_tokenizer_try (t, ' '))
        ;
    }
  while (mail_imap_tokenizer_peek (t) == '(');

  b->children = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapBody),
                                                    &b->n_children);
  b->type = "multipart";

  if (t->failed
      || !mail_imap_tokenizer_string (t, &subtype, &len)
      || (b->subtype = mail_imap_tokenizer_strdown (t, subtype)) == NULL)
    return FALSE;

  /* body-ext-mpart: body-fld-param [SP body-fld-dsp ...] */
  if (!more_in_list (t))
    return TRUE;

  return parse_params (t, &b->params, &b->n_params) && parse_body_extension_tail (t, b);
}

static gboolean
parse_single_part (MailImapTokenizer *t,
                   MailImapBody      *b)
{
  const char *type;
  const char *subtype;
  const char *encoding;
  gsize len;

  if (!mail_imap_tokenizer_string (t, &type, &len)
      || (b->type = mail_imap_tokenizer_strdown (t, type)) == NULL
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_string (t, &subtype, &len)
      || (b->subtype = mail_imap_tokenizer_strdown (t, subtype)) == NULL
      || !mail_imap_tokenizer_sp (t)
      || !parse_params (t, &b->params, &b->n_params)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_nstring (t, &b->id, &len)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_nstring (t, &b->description, &len)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_nstring (t, &encoding, &len)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_number64 (t, &b->size))
    return FALSE;

  b->encoding = mail_imap_tokenizer_strdown (t, encoding);
  if (t->failed)
    return FALSE;

  /* message/rfc822 (and message/global, RFC 6532) add the encapsulated message's
   * envelope, body and line count; a server that leaves them out is tolerated. */
  if (strcmp (b->type, "message") == 0
      && (strcmp (b->subtype, "rfc822") == 0 || strcmp (b->subtype, "global") == 0)
      && more_in_list (t) && mail_imap_tokenizer_peek (t) == '(')
    {
      MailImapBody *child = mail_imap_tokenizer_alloc0 (t, sizeof *child);

      if (child == NULL
          || !_mail_imap_parse_envelope (t, &b->envelope)
          || !mail_imap_tokenizer_sp (t)
          || !parse_body (t, child)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_number64 (t, &b->lines))
        return FALSE;
      b->children = child;
      b->n_children = 1;
    }
  else if (strcmp (b->type, "text") == 0)
    {
      if (!mail_imap_tokenizer_sp (t) || !mail_imap_tokenizer_number64 (t, &b->lines))
        return FALSE;
    }

  /* body-ext-1part: body-fld-md5 [SP body-fld-dsp ...] */
  if (!more_in_list (t))
    return TRUE;

  return mail_imap_tokenizer_nstring (t, &b->md5, &len) && parse_body_extension_tail (t, b);
}

static gboolean
parse_body (MailImapTokenizer *t,
            MailImapBody      *b)
{
  if (t->depth + BODY_DEPTH_MARGIN > t->limits->max_depth)
    {
      b->truncated = TRUE;
      return mail_imap_tokenizer_skip_value (t);
    }

  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  if (mail_imap_tokenizer_peek (t) == '(')
    {
      if (!parse_multipart (t, b))
        return FALSE;
    }
  else if (!parse_single_part (t, b))
    {
      return FALSE;
    }

  return mail_imap_tokenizer_list_close (t);
}

static gboolean
parse_body_structure (MailImapTokenizer   *t,
                      const MailImapBody **out)
{
  MailImapBody *b = mail_imap_tokenizer_alloc0 (t, sizeof *b);

  *out = b;
  return b != NULL && parse_body (t, b);
}

/* "[" section-spec "]" ["<" number ">"], kept as the text between the brackets. Header
 * field names in the spec may be quoted strings; a literal there is refused. */
static gboolean
parse_section_spec (MailImapTokenizer    *t,
                    MailImapFetchSection *s)
{
  const guint8 *start;
  const guint8 *p;
  gboolean in_quote = FALSE;
  guint parens = 0;

  if (!mail_imap_tokenizer_expect (t, '['))
    return FALSE;

  start = t->p;
  for (p = start;; p++)
    {
      if (p >= t->end)
        return fail (t, _("a section specification is not closed"));

      if (*p == '\0' || *p == '\r' || *p == '\n')
        return fail (t, _("a section specification holds a NUL, CR or LF byte"));

      if (in_quote)
        {
          if (*p == '\\' && p + 1 < t->end)
            p++;
          else if (*p == '"')
            in_quote = FALSE;
          continue;
        }

      if (*p == '"')
        in_quote = TRUE;
      else if (*p == '{')
        return fail (t, _("a section specification holds a literal"));
      else if (*p == '(')
        parens++;
      else if (*p == ')')
        {
          if (parens == 0)
            return fail (t, _("a section specification is malformed"));
          parens--;
        }
      else if (*p == ']' && parens == 0)
        break;
    }

  s->section = mail_imap_tokenizer_strndup (t, start, (gsize) (p - start));
  if (s->section == NULL)
    return FALSE;
  t->p = p + 1;

  if (mail_imap_tokenizer_try (t, '<'))
    {
      if (!mail_imap_tokenizer_number64 (t, &s->origin) || !mail_imap_tokenizer_expect (t, '>'))
        return FALSE;
      s->has_origin = TRUE;
    }

  return TRUE;
}

static const char months[12][4] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static gboolean
digits (const char **pp,
        guint        n,
        int         *out)
{
  const char *p = *pp;
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }

  *pp = p + n;
  *out = v;
  return TRUE;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
static gint64
days_from_civil (int year,
                 int month,
                 int day)
{
  gint64 y = year - (month <= 2);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

/**
 * _mail_imap_parse_internaldate:
 * @date: an INTERNALDATE value: "dd-Mon-yyyy hh:mm:ss +zzzz", the day maybe space-padded
 * @unix_time: (out): the time in seconds since the epoch
 *
 * Returns: %TRUE when @date is a valid date-time
 */
gboolean
_mail_imap_parse_internaldate (const char *date,
                               gint64     *unix_time)
{
  const char *p = date;
  int day, month = -1, year, hour, minute, second, zone_hours, zone_minutes;
  int sign;

  if (*p == ' ')
    p++;
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]))
    {
      if (!digits (&p, 2, &day))
        return FALSE;
    }
  else if (!digits (&p, 1, &day))
    {
      return FALSE;
    }

  if (*p++ != '-')
    return FALSE;
  for (int i = 0; i < 12; i++)
    {
      if (g_ascii_strncasecmp (p, months[i], 3) == 0)
        {
          month = i + 1;
          break;
        }
    }
  if (month < 0)
    return FALSE;
  p += 3;

  if (*p++ != '-' || !digits (&p, 4, &year)
      || *p++ != ' ' || !digits (&p, 2, &hour)
      || *p++ != ':' || !digits (&p, 2, &minute)
      || *p++ != ':' || !digits (&p, 2, &second)
      || *p++ != ' ')
    return FALSE;

  if (*p == '+')
    sign = 1;
  else if (*p == '-')
    sign = -1;
  else
    return FALSE;
  p++;

  if (!digits (&p, 2, &zone_hours) || !digits (&p, 2, &zone_minutes) || *p != '\0')
    return FALSE;

  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || zone_minutes > 59)
    return FALSE;

  *unix_time = days_from_civil (year, month, day) * 86400
               + hour * 3600 + minute * 60 + second
               - sign * (zone_hours * 3600 + zone_minutes * 60);
  return TRUE;
}

/* A section's content: an nstring8, or a literal whose bytes went to a body sink. */
static gboolean
section_content (MailImapTokenizer    *t,
                 MailImapFetchSection *s)
{
  t->last_literal = NULL;
  if (!mail_imap_tokenizer_nstring8 (t, &s->data, &s->len))
    return FALSE;

  if (t->last_literal != NULL && t->last_literal->streamed)
    {
      s->streamed = TRUE;
      s->streamed_size = t->last_literal->streamed_size;
      s->data = NULL;
      s->len = 0;
    }

  return TRUE;
}

static gboolean
parse_section_item (MailImapTokenizer    *t,
                    MailImapSectionKind   kind,
                    SectionNode        ***tail,
                    guint                *n_sections)
{
  SectionNode *node = mail_imap_tokenizer_alloc0 (t, sizeof *node);
  MailImapFetchSection *s;

  if (node == NULL)
    return FALSE;
  s = &node->section;
  s->kind = kind;
  s->section = "";

  switch (kind)
    {
    case MAIL_IMAP_SECTION_BODY:
    case MAIL_IMAP_SECTION_BINARY:
      if (!parse_section_spec (t, s)
          || !mail_imap_tokenizer_sp (t)
          || !section_content (t, s))
        return FALSE;
      break;

    case MAIL_IMAP_SECTION_BINARY_SIZE:
      if (!parse_section_spec (t, s)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_number64 (t, &s->binary_size))
        return FALSE;
      break;

    case MAIL_IMAP_SECTION_RFC822:
    case MAIL_IMAP_SECTION_RFC822_HEADER:
    case MAIL_IMAP_SECTION_RFC822_TEXT:
    default:
      if (!mail_imap_tokenizer_sp (t) || !section_content (t, s))
        return FALSE;
      break;
    }

  **tail = node;
  *tail = &node->next;
  (*n_sections)++;
  return TRUE;
}

static gboolean
parse_extra_item (MailImapTokenizer   *t,
                  const guint8        *name,
                  gsize                name_len,
                  ExtraNode         ***tail,
                  guint               *n_extra)
{
  ExtraNode *node = mail_imap_tokenizer_alloc0 (t, sizeof *node);
  const guint8 *end = t->p;
  char *upper;

  if (node == NULL)
    return FALSE;

  /* An unknown item may carry a section, which becomes part of its name. */
  if (mail_imap_tokenizer_peek (t) == '[')
    {
      MailImapFetchSection ignored;

      memset (&ignored, 0, sizeof ignored);
      if (!parse_section_spec (t, &ignored))
        return FALSE;
      end = t->p;
    }

  upper = mail_imap_tokenizer_strndup (t, name, (gsize) (end - name));
  if (upper == NULL)
    return FALSE;
  for (gsize i = 0; i < name_len; i++)
    upper[i] = g_ascii_toupper (upper[i]);
  node->item.name = upper;

  if (!mail_imap_tokenizer_sp (t) || !mail_imap_tokenizer_value (t, &node->item.value))
    return FALSE;

  **tail = node;
  *tail = &node->next;
  (*n_extra)++;
  return TRUE;
}

/* "(" msg-att *(SP msg-att) ")" */
gboolean
_mail_imap_parse_fetch (MailImapTokenizer *t,
                        MailImapFetch     *f)
{
  SectionNode *sections = NULL;
  SectionNode **sections_tail = &sections;
  ExtraNode *extras = NULL;
  ExtraNode **extras_tail = &extras;
  guint n_sections = 0;
  guint n_extra = 0;
  guint count = 0;

  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      const guint8 *w;
      gsize len;
      gboolean ok;

      if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ITEM, &w, &len))
        return FALSE;

      if (mail_imap_word_is (w, len, "UID"))
        {
          ok = mail_imap_tokenizer_sp (t) && mail_imap_tokenizer_nz_number (t, &f->uid);
          f->items |= MAIL_IMAP_FETCH_UID;
        }
      else if (mail_imap_word_is (w, len, "FLAGS"))
        {
          ok = mail_imap_tokenizer_sp (t) && mail_imap_tokenizer_flag_list (t, &f->flags);
          f->items |= MAIL_IMAP_FETCH_FLAGS;
        }
      else if (mail_imap_word_is (w, len, "RFC822.SIZE"))
        {
          ok = mail_imap_tokenizer_sp (t) && mail_imap_tokenizer_number64 (t, &f->rfc822_size);
          f->items |= MAIL_IMAP_FETCH_RFC822_SIZE;
        }
      else if (mail_imap_word_is (w, len, "ENVELOPE"))
        {
          ok = mail_imap_tokenizer_sp (t) && _mail_imap_parse_envelope (t, &f->envelope);
          f->items |= MAIL_IMAP_FETCH_ENVELOPE;
        }
      else if (mail_imap_word_is (w, len, "INTERNALDATE"))
        {
          gsize date_len;

          ok = mail_imap_tokenizer_sp (t)
               && mail_imap_tokenizer_nstring (t, &f->internaldate_raw, &date_len);
          if (ok && f->internaldate_raw != NULL
              && _mail_imap_parse_internaldate (f->internaldate_raw, &f->internaldate))
            f->items |= MAIL_IMAP_FETCH_INTERNALDATE;
        }
      else if (mail_imap_word_is (w, len, "BODYSTRUCTURE"))
        {
          ok = mail_imap_tokenizer_sp (t) && parse_body_structure (t, &f->body);
          f->items |= MAIL_IMAP_FETCH_BODYSTRUCTURE;
        }
      else if (mail_imap_word_is (w, len, "BODY"))
        {
          if (mail_imap_tokenizer_peek (t) == '[')
            {
              ok = parse_section_item (t, MAIL_IMAP_SECTION_BODY, &sections_tail, &n_sections);
            }
          else
            {
              ok = mail_imap_tokenizer_sp (t) && parse_body_structure (t, &f->body);
              f->items |= MAIL_IMAP_FETCH_BODY;
            }
        }
      else if (mail_imap_word_is (w, len, "MODSEQ"))
        {
          ok = mail_imap_tokenizer_sp (t)
               && mail_imap_tokenizer_list_open (t)
               && mail_imap_tokenizer_number64 (t, &f->modseq)
               && mail_imap_tokenizer_list_close (t);
          f->items |= MAIL_IMAP_FETCH_MODSEQ;
        }
      else if (mail_imap_word_is (w, len, "BINARY"))
        {
          ok = parse_section_item (t, MAIL_IMAP_SECTION_BINARY, &sections_tail, &n_sections);
        }
      else if (mail_imap_word_is (w, len, "BINARY.SIZE"))
        {
          ok = parse_section_item (t, MAIL_IMAP_SECTION_BINARY_SIZE, &sections_tail,
                                   &n_sections);
        }
      else if (mail_imap_word_is (w, len, "RFC822"))
        {
          ok = parse_section_item (t, MAIL_IMAP_SECTION_RFC822, &sections_tail, &n_sections);
        }
      else if (mail_imap_word_is (w, len, "RFC822.HEADER"))
        {
          ok = parse_section_item (t, MAIL_IMAP_SECTION_RFC822_HEADER, &sections_tail,
                                   &n_sections);
        }
      else if (mail_imap_word_is (w, len, "RFC822.TEXT"))
        {
          ok = parse_section_item (t, MAIL_IMAP_SECTION_RFC822_TEXT, &sections_tail,
                                   &n_sections);
        }
      else
        {
          ok = parse_extra_item (t, w, len, &extras_tail, &n_extra);
        }

      if (!ok)
        return FALSE;
    }

  if (t->failed)
    return FALSE;

  if (n_sections > 0)
    {
      MailImapFetchSection *array = mail_imap_tokenizer_alloc (t, n_sections * sizeof *array);
      guint i = 0;

      if (array == NULL)
        return FALSE;
      for (SectionNode *node = sections; node != NULL; node = node->next)
        array[i++] = node->section;
      f->sections = array;
      f->n_sections = n_sections;
      f->items |= MAIL_IMAP_FETCH_SECTIONS;
    }

  if (n_extra > 0)
    {
      MailImapTaggedValue *array = mail_imap_tokenizer_alloc (t, n_extra * sizeof *array);
      guint i = 0;

      if (array == NULL)
        return FALSE;
      for (ExtraNode *node = extras; node != NULL; node = node->next)
        array[i++] = node->item;
      f->extra = array;
      f->n_extra = n_extra;
      f->items |= MAIL_IMAP_FETCH_EXTRA;
    }

  return TRUE;
}

/* The kind of message section an item name starts, if it is one: BODY[...], BINARY[...],
 * RFC822, RFC822.HEADER, RFC822.TEXT. */
static gboolean
section_kind (MailImapTokenizer   *t,
              const guint8        *w,
              gsize                len,
              MailImapSectionKind *kind)
{
  if (mail_imap_word_is (w, len, "BODY") && mail_imap_tokenizer_peek (t) == '[')
    *kind = MAIL_IMAP_SECTION_BODY;
  else if (mail_imap_word_is (w, len, "BINARY"))
    *kind = MAIL_IMAP_SECTION_BINARY;
  else if (mail_imap_word_is (w, len, "RFC822"))
    *kind = MAIL_IMAP_SECTION_RFC822;
  else if (mail_imap_word_is (w, len, "RFC822.HEADER"))
    *kind = MAIL_IMAP_SECTION_RFC822_HEADER;
  else if (mail_imap_word_is (w, len, "RFC822.TEXT"))
    *kind = MAIL_IMAP_SECTION_RFC822_TEXT;
  else
    return FALSE;

  return TRUE;
}

/* The beginning of a response, up to a literal announced at @announcement that ends the
 * text read so far: whether it is a FETCH response and that literal the content of a
 * message section at its top level, and if so which message (the UID when it came first)
 * and section. Values before it are skipped without being parsed; a literal anywhere
 * deeper (in an ENVELOPE, say) is not a section's content. Used by the framer to decide
 * whether to stream a literal before its bytes arrive. */
gboolean
_mail_imap_parse_fetch_prefix (MailImapTokenizer *t,
                               const guint8      *announcement,
                               MailImapBodyInfo  *info)
{
  const guint8 *w;
  gsize len;
  guint count = 0;

  memset (info, 0, sizeof *info);

  if (!mail_imap_tokenizer_expect (t, '*')
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_nz_number (t, &info->seq)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len)
      || !mail_imap_word_is (w, len, "FETCH")
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      MailImapFetchSection section = { 0, };
      MailImapSectionKind kind;
      gboolean is_section;

      if (t->p == announcement || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ITEM, &w, &len))
        return FALSE;

      if (mail_imap_word_is (w, len, "UID"))
        {
          if (!mail_imap_tokenizer_sp (t) || !mail_imap_tokenizer_nz_number (t, &info->uid))
            return FALSE;
          continue;
        }

      is_section = section_kind (t, w, len, &kind);
      section.section = "";
      if (mail_imap_tokenizer_peek (t) == '[' && !parse_section_spec (t, &section))
        return FALSE;
      if (!mail_imap_tokenizer_sp (t))
        return FALSE;

      if (t->p == announcement)
        {
          if (!is_section)
            return FALSE;
          info->kind = kind;
          info->section = section.section;
          info->has_origin = section.has_origin;
          info->origin = section.origin;
          return TRUE;
        }

      if (!mail_imap_tokenizer_skip_value (t))
        return FALSE;
    }

  return FALSE;
}
