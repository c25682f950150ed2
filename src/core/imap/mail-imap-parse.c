/* mail-imap-parse.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The response grammar of RFC 3501 and 9051 and the extensions a modern client meets
 * (ENABLE, LIST-EXTENDED, LIST-STATUS, SPECIAL-USE, ESEARCH, CONDSTORE/QRESYNC, UIDPLUS,
 * QUOTA, NAMESPACE, ID, OBJECTID), over one framed response. FETCH lives in
 * mail-imap-parse-fetch.c. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-parser-private.h"

static gboolean
fail (MailImapTokenizer *t,
      const char        *what)
{
  return mail_imap_tokenizer_fail (t, MAIL_IMAP_ERROR_PROTOCOL, "%s", what);
}

/* Spaces, then whether anything but the end of the response follows. */
static gboolean
more (MailImapTokenizer *t)
{
  while (mail_imap_tokenizer_try (t, ' '))
    ;

  return !mail_imap_tokenizer_at_end (t);
}

static char *
strup (MailImapTokenizer *t,
       const guint8      *s,
       gsize              len)
{
  char *copy = mail_imap_tokenizer_strndup (t, s, len);

  if (copy != NULL)
    for (gsize i = 0; i < len; i++)
      copy[i] = g_ascii_toupper (copy[i]);

  return copy;
}

/* Atoms up to the end of the response or a "]", upper-cased (capabilities). */
static gboolean
parse_atoms (MailImapTokenizer   *t,
             const char * const **out)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  const char *end_marker = NULL;
  guint count = 0;

  while (more (t) && mail_imap_tokenizer_peek (t) != ']')
    {
      const guint8 *s;
      gsize len;
      const char *atom;

      if (!mail_imap_tokenizer_count_item (t, &count)
          || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &s, &len)
          || (atom = strup (t, s, len)) == NULL
          || !mail_imap_tokenizer_scratch_push (t, &atom, sizeof atom))
        return FALSE;
    }

  if (!mail_imap_tokenizer_scratch_push (t, &end_marker, sizeof end_marker))
    return FALSE;

  *out = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (char *), NULL);
  return *out != NULL;
}

static MailImapStatus
status_from_word (const guint8 *s,
                  gsize         len)
{
  if (mail_imap_word_is (s, len, "OK"))
    return MAIL_IMAP_STATUS_OK;
  if (mail_imap_word_is (s, len, "NO"))
    return MAIL_IMAP_STATUS_NO;
  if (mail_imap_word_is (s, len, "BAD"))
    return MAIL_IMAP_STATUS_BAD;
  if (mail_imap_word_is (s, len, "PREAUTH"))
    return MAIL_IMAP_STATUS_PREAUTH;
  if (mail_imap_word_is (s, len, "BYE"))
    return MAIL_IMAP_STATUS_BYE;

  return MAIL_IMAP_STATUS_NONE;
}

static gboolean
code_has_arguments (MailImapCodeKind kind)
{
  switch (kind)
    {
    case MAIL_IMAP_CODE_CAPABILITY:
    case MAIL_IMAP_CODE_PERMANENTFLAGS:
    case MAIL_IMAP_CODE_BADCHARSET:
    case MAIL_IMAP_CODE_UIDNEXT:
    case MAIL_IMAP_CODE_UIDVALIDITY:
    case MAIL_IMAP_CODE_UNSEEN:
    case MAIL_IMAP_CODE_HIGHESTMODSEQ:
    case MAIL_IMAP_CODE_APPENDUID:
    case MAIL_IMAP_CODE_COPYUID:
    case MAIL_IMAP_CODE_MODIFIED:
    case MAIL_IMAP_CODE_MAILBOXID:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
parse_code_arguments (MailImapTokenizer    *t,
                      MailImapResponseCode *code)
{
  guint32 n;

  switch (code->kind)
    {
    case MAIL_IMAP_CODE_CAPABILITY:
      return mail_imap_tokenizer_sp (t) && parse_atoms (t, &code->atoms);

    case MAIL_IMAP_CODE_PERMANENTFLAGS:
      return mail_imap_tokenizer_sp (t) && mail_imap_tokenizer_flag_list (t, &code->flags);

    case MAIL_IMAP_CODE_BADCHARSET:
      if (!more (t) || mail_imap_tokenizer_peek (t) == ']')
        return TRUE;
      return mail_imap_tokenizer_string_list (t, &code->atoms);

    case MAIL_IMAP_CODE_UIDNEXT:
    case MAIL_IMAP_CODE_UIDVALIDITY:
    case MAIL_IMAP_CODE_UNSEEN:
      if (!mail_imap_tokenizer_sp (t) || !mail_imap_tokenizer_nz_number (t, &n))
        return FALSE;
      code->number = n;
      return TRUE;

    case MAIL_IMAP_CODE_HIGHESTMODSEQ:
      return mail_imap_tokenizer_sp (t) && mail_imap_tokenizer_number64 (t, &code->number);

    case MAIL_IMAP_CODE_APPENDUID:
      if (!mail_imap_tokenizer_sp (t) || !mail_imap_tokenizer_nz_number (t, &n))
        return FALSE;
      code->number = n;
      return mail_imap_tokenizer_sp (t) && mail_imap_tokenizer_set (t, &code->uids);

    case MAIL_IMAP_CODE_COPYUID:
      if (!mail_imap_tokenizer_sp (t) || !mail_imap_tokenizer_nz_number (t, &n))
        return FALSE;
      code->number = n;
      return mail_imap_tokenizer_sp (t)
             && mail_imap_tokenizer_set (t, &code->source_uids)
             && mail_imap_tokenizer_sp (t)
             && mail_imap_tokenizer_set (t, &code->uids);

    case MAIL_IMAP_CODE_MODIFIED:
      return mail_imap_tokenizer_sp (t) && mail_imap_tokenizer_set (t, &code->uids);

    case MAIL_IMAP_CODE_MAILBOXID:
      {
        const guint8 *s;
        gsize len;
        const char **atoms;

        if (!mail_imap_tokenizer_sp (t)
            || !mail_imap_tokenizer_list_open (t)
            || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &s, &len)
            || !mail_imap_tokenizer_list_close (t))
          return FALSE;

        atoms = mail_imap_tokenizer_alloc0 (t, 2 * sizeof (char *));
        if (atoms == NULL || (atoms[0] = mail_imap_tokenizer_strndup (t, s, len)) == NULL)
          return FALSE;
        code->atoms = atoms;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* "[" code [SP arguments] "]". A known code with malformed arguments is demoted to
 * MAIL_IMAP_CODE_UNKNOWN with its text kept, so that a server's quirk in, say, a
 * PERMANENTFLAGS list cannot make a command's completion unreadable; a "[" that opens no
 * code at all is left to be read as text. */
static gboolean
parse_code (MailImapTokenizer    *t,
            MailImapResponseCode *code)
{
  MailImapTokenizerState at_bracket;
  MailImapTokenizerState after_name;
  const guint8 *name;
  const guint8 *args;
  const guint8 *close = NULL;
  gsize name_len;

  mail_imap_tokenizer_save (t, &at_bracket);
  t->p++;

  if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &name, &name_len))
    return mail_imap_tokenizer_restore (t, &at_bracket);

  code->kind = _mail_imap_code_kind_from_name ((const char *) name, name_len);
  code->name = strup (t, name, name_len);
  if (code->name == NULL)
    return FALSE;

  mail_imap_tokenizer_save (t, &after_name);

  if (code_has_arguments (code->kind))
    {
      if (parse_code_arguments (t, code) && mail_imap_tokenizer_peek (t) == ']')
        {
          close = t->p;
        }
      else
        {
          const char *keep_name = code->name;

          if (!mail_imap_tokenizer_restore (t, &after_name))
            return FALSE;
          memset (code, 0, sizeof *code);
          code->kind = MAIL_IMAP_CODE_UNKNOWN;
          code->name = keep_name;
        }
    }

  if (close == NULL)
    {
      close = memchr (t->p, ']', (gsize) (t->end - t->p));
      if (close == NULL)
        {
          memset (code, 0, sizeof *code);
          return mail_imap_tokenizer_restore (t, &at_bracket);
        }
    }

  args = after_name.p;
  while (args < close && *args == ' ')
    args++;

  if (args < close)
    {
      t->p = args;
      if (!mail_imap_tokenizer_text (t, close, &code->text))
        return FALSE;
    }

  t->p = close + 1;
  return TRUE;
}

/* [SP ["[" code "]" SP] text], after a status word. */
static gboolean
parse_resp_text (MailImapTokenizer *t,
                 MailImapResponse  *r)
{
  if (!more (t))
    {
      r->text = "";
      return TRUE;
    }

  if (mail_imap_tokenizer_peek (t) == '[')
    {
      if (!parse_code (t, &r->code))
        return FALSE;
      while (mail_imap_tokenizer_try (t, ' '))
        ;
    }

  return mail_imap_tokenizer_text (t, NULL, &r->text);
}

static const struct {
  const char                *name;
  guint                      len;
  MailImapMailboxAttributes  bit;
} mailbox_attributes[] = {
  { "\\HasNoChildren", 14, MAIL_IMAP_MAILBOX_HASNOCHILDREN },
  { "\\HasChildren", 12, MAIL_IMAP_MAILBOX_HASCHILDREN },
  { "\\Noinferiors", 12, MAIL_IMAP_MAILBOX_NOINFERIORS },
  { "\\Noselect", 9, MAIL_IMAP_MAILBOX_NOSELECT },
  { "\\Marked", 7, MAIL_IMAP_MAILBOX_MARKED },
  { "\\Unmarked", 9, MAIL_IMAP_MAILBOX_UNMARKED },
  { "\\NonExistent", 12, MAIL_IMAP_MAILBOX_NONEXISTENT },
  { "\\Subscribed", 11, MAIL_IMAP_MAILBOX_SUBSCRIBED },
  { "\\Remote", 7, MAIL_IMAP_MAILBOX_REMOTE },
  { "\\All", 4, MAIL_IMAP_MAILBOX_ALL },
  { "\\Archive", 8, MAIL_IMAP_MAILBOX_ARCHIVE },
  { "\\Drafts", 7, MAIL_IMAP_MAILBOX_DRAFTS },
  { "\\Flagged", 8, MAIL_IMAP_MAILBOX_FLAGGED },
  { "\\Junk", 5, MAIL_IMAP_MAILBOX_JUNK },
  { "\\Sent", 5, MAIL_IMAP_MAILBOX_SENT },
  { "\\Trash", 6, MAIL_IMAP_MAILBOX_TRASH },
  { "\\Important", 10, MAIL_IMAP_MAILBOX_IMPORTANT },
};

static gboolean
parse_mailbox_attributes (MailImapTokenizer *t,
                          MailImapListData  *l)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  const char *end_marker = NULL;
  guint count = 0;

  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      const guint8 *start = t->p;
      const guint8 *s;
      const char *name = NULL;
      gsize len;

      mail_imap_tokenizer_try (t, '\\');
      if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &s, &len))
        return FALSE;
      len = (gsize) (t->p - start);

      for (guint i = 0; i < G_N_ELEMENTS (mailbox_attributes); i++)
        {
          if (mailbox_attributes[i].len == len
              && g_ascii_strncasecmp (mailbox_attributes[i].name, (const char *) start, len) == 0)
            {
              name = mailbox_attributes[i].name;
              l->attributes |= mailbox_attributes[i].bit;
              break;
            }
        }

      if ((name == NULL && (name = mail_imap_tokenizer_strndup (t, start, len)) == NULL)
          || !mail_imap_tokenizer_scratch_push (t, &name, sizeof name))
        return FALSE;
    }

  if (t->failed || !mail_imap_tokenizer_scratch_push (t, &end_marker, sizeof end_marker))
    return FALSE;

  l->attribute_names = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (char *), NULL);
  return l->attribute_names != NULL;
}

/* "(" mbox-list-extended-item *(SP mbox-list-extended-item) ")" (RFC 5258, 9051). */
static gboolean
parse_list_extended (MailImapTokenizer *t,
                     MailImapListData  *l)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  guint count = 0;

  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      MailImapTaggedValue item;
      gsize len;

      if (!mail_imap_tokenizer_astring (t, &item.name, &len) || !mail_imap_tokenizer_sp (t))
        return FALSE;

      if (g_ascii_strcasecmp (item.name, "CHILDINFO") == 0)
        {
          if (!mail_imap_tokenizer_string_list (t, &l->childinfo))
            return FALSE;
        }
      else if (g_ascii_strcasecmp (item.name, "OLDNAME") == 0)
        {
          if (!mail_imap_tokenizer_list_open (t)
              || !mail_imap_tokenizer_mailbox (t, &l->oldname)
              || !mail_imap_tokenizer_list_close (t))
            return FALSE;
        }
      else if (!mail_imap_tokenizer_value (t, &item.value)
               || !mail_imap_tokenizer_scratch_push (t, &item, sizeof item))
        {
          return FALSE;
        }
    }

  if (t->failed)
    return FALSE;

  l->extended = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapTaggedValue),
                                                    &l->n_extended);
  return !t->failed;
}

/* "(" attributes ")" SP delimiter SP mailbox [SP extended] */
static gboolean
parse_list (MailImapTokenizer *t,
            MailImapListData  *l)
{
  if (!mail_imap_tokenizer_sp (t)
      || !parse_mailbox_attributes (t, l)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_delimiter (t, &l->delimiter)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_mailbox (t, &l->mailbox))
    return FALSE;

  if (more (t))
    return parse_list_extended (t, l);

  return TRUE;
}

/* mailbox SP "(" [status-att SP value *(SP status-att SP value)] ")" */
static gboolean
parse_mailbox_status (MailImapTokenizer  *t,
                      MailImapStatusData *s)
{
  guint count = 0;

  if (!mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_mailbox (t, &s->mailbox)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      const guint8 *w;
      gsize len;
      gboolean ok;

      if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len)
          || !mail_imap_tokenizer_sp (t))
        return FALSE;

      if (mail_imap_word_is (w, len, "MESSAGES"))
        {
          ok = mail_imap_tokenizer_number (t, &s->messages);
          s->items |= MAIL_IMAP_STATUS_ITEM_MESSAGES;
        }
      else if (mail_imap_word_is (w, len, "UIDNEXT"))
        {
          ok = mail_imap_tokenizer_number (t, &s->uidnext);
          s->items |= MAIL_IMAP_STATUS_ITEM_UIDNEXT;
        }
      else if (mail_imap_word_is (w, len, "UIDVALIDITY"))
        {
          ok = mail_imap_tokenizer_nz_number (t, &s->uidvalidity);
          s->items |= MAIL_IMAP_STATUS_ITEM_UIDVALIDITY;
        }
      else if (mail_imap_word_is (w, len, "UNSEEN"))
        {
          ok = mail_imap_tokenizer_number (t, &s->unseen);
          s->items |= MAIL_IMAP_STATUS_ITEM_UNSEEN;
        }
      else if (mail_imap_word_is (w, len, "RECENT"))
        {
          ok = mail_imap_tokenizer_number (t, &s->recent);
          s->items |= MAIL_IMAP_STATUS_ITEM_RECENT;
        }
      else if (mail_imap_word_is (w, len, "DELETED"))
        {
          ok = mail_imap_tokenizer_number (t, &s->deleted);
          s->items |= MAIL_IMAP_STATUS_ITEM_DELETED;
        }
      else if (mail_imap_word_is (w, len, "SIZE"))
        {
          ok = mail_imap_tokenizer_number64 (t, &s->size);
          s->items |= MAIL_IMAP_STATUS_ITEM_SIZE;
        }
      else if (mail_imap_word_is (w, len, "HIGHESTMODSEQ"))
        {
          ok = mail_imap_tokenizer_number64 (t, &s->highestmodseq);
          s->items |= MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ;
        }
      else if (mail_imap_word_is (w, len, "APPENDLIMIT"))
        {
          s->appendlimit = G_MAXUINT64;
          ok = mail_imap_tokenizer_try_nil (t) || mail_imap_tokenizer_number64 (t, &s->appendlimit);
          s->items |= MAIL_IMAP_STATUS_ITEM_APPENDLIMIT;
        }
      else if (mail_imap_word_is (w, len, "MAILBOXID"))
        {
          const guint8 *id;
          gsize id_len;

          ok = mail_imap_tokenizer_list_open (t)
               && mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &id, &id_len)
               && mail_imap_tokenizer_list_close (t)
               && (s->mailboxid = mail_imap_tokenizer_strndup (t, id, id_len)) != NULL;
          s->items |= MAIL_IMAP_STATUS_ITEM_MAILBOXID;
        }
      else
        {
          ok = mail_imap_tokenizer_skip_value (t);
        }

      if (!ok)
        return FALSE;
    }

  return !t->failed;
}

/* *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]. The numbers are bounded
 * by the line length limit, not by the list item limit: a plain SEARCH over a large
 * mailbox legitimately returns hundreds of thousands of them. */
static gboolean
parse_search (MailImapTokenizer  *t,
              MailImapSearchData *s)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);

  while (more (t))
    {
      guint32 n;

      if (mail_imap_tokenizer_peek (t) == '(')
        {
          const guint8 *w;
          gsize len;

          if (!mail_imap_tokenizer_list_open (t)
              || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len))
            return FALSE;
          if (!mail_imap_word_is (w, len, "MODSEQ"))
            return fail (t, _("a SEARCH response holds an unknown item"));
          if (!mail_imap_tokenizer_sp (t)
              || !mail_imap_tokenizer_number64 (t, &s->modseq)
              || !mail_imap_tokenizer_list_close (t))
            return FALSE;
          s->has_modseq = TRUE;
          continue;
        }

      if (!mail_imap_tokenizer_nz_number (t, &n)
          || !mail_imap_tokenizer_scratch_push (t, &n, sizeof n))
        return FALSE;
    }

  s->numbers = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (guint32), &s->n_numbers);
  return !t->failed;
}

/* [SP "(" "TAG" SP tag-string *(SP correlator-extension) ")"] [SP "UID"]
 * *(SP return-data-name SP value) */
static gboolean
parse_esearch (MailImapTokenizer   *t,
               MailImapEsearchData *e)
{
  guint mark;
  guint count = 0;

  if (more (t) && mail_imap_tokenizer_peek (t) == '(')
    {
      guint correlators = 0;

      if (!mail_imap_tokenizer_list_open (t))
        return FALSE;

      while (mail_imap_tokenizer_list_next (t, &correlators))
        {
          const guint8 *w;
          gsize len;
          gboolean ok;

          if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len)
              || !mail_imap_tokenizer_sp (t))
            return FALSE;

          if (mail_imap_word_is (w, len, "TAG"))
            ok = mail_imap_tokenizer_astring (t, &e->tag, &len);
          else if (mail_imap_word_is (w, len, "MAILBOX"))
            ok = mail_imap_tokenizer_mailbox (t, &e->mailbox);
          else if (mail_imap_word_is (w, len, "UIDVALIDITY"))
            ok = mail_imap_tokenizer_nz_number (t, &e->uidvalidity);
          else
            ok = mail_imap_tokenizer_skip_value (t);

          if (!ok)
            return FALSE;
        }
      if (t->failed)
        return FALSE;
    }

  mark = mail_imap_tokenizer_scratch_mark (t);

  while (more (t))
    {
      const guint8 *w;
      gsize len;
      gboolean ok;

      if (!mail_imap_tokenizer_count_item (t, &count)
          || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len))
        return FALSE;

      if (mail_imap_word_is (w, len, "UID"))
        {
          e->uid = TRUE;
          continue;
        }

      if (!mail_imap_tokenizer_sp (t))
        return FALSE;

      if (mail_imap_word_is (w, len, "MIN"))
        {
          ok = mail_imap_tokenizer_nz_number (t, &e->min);
          e->items |= MAIL_IMAP_ESEARCH_MIN;
        }
      else if (mail_imap_word_is (w, len, "MAX"))
        {
          ok = mail_imap_tokenizer_nz_number (t, &e->max);
          e->items |= MAIL_IMAP_ESEARCH_MAX;
        }
      else if (mail_imap_word_is (w, len, "COUNT"))
        {
          ok = mail_imap_tokenizer_number (t, &e->count);
          e->items |= MAIL_IMAP_ESEARCH_COUNT;
        }
      else if (mail_imap_word_is (w, len, "ALL"))
        {
          ok = mail_imap_tokenizer_search_set (t, &e->all);
          e->items |= MAIL_IMAP_ESEARCH_ALL;
        }
      else if (mail_imap_word_is (w, len, "MODSEQ"))
        {
          ok = mail_imap_tokenizer_number64 (t, &e->modseq);
          e->items |= MAIL_IMAP_ESEARCH_MODSEQ;
        }
      else
        {
          MailImapTaggedValue item;

          ok = (item.name = strup (t, w, len)) != NULL
               && mail_imap_tokenizer_value (t, &item.value)
               && mail_imap_tokenizer_scratch_push (t, &item, sizeof item);
        }

      if (!ok)
        return FALSE;
    }

  e->extra = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapTaggedValue),
                                                 &e->n_extra);
  return !t->failed;
}

/* [SP "(EARLIER)"] SP known-uids */
static gboolean
parse_vanished (MailImapTokenizer    *t,
                MailImapVanishedData *v)
{
  if (!mail_imap_tokenizer_sp (t))
    return FALSE;

  if (mail_imap_tokenizer_peek (t) == '(')
    {
      const guint8 *w;
      gsize len;

      if (!mail_imap_tokenizer_list_open (t)
          || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len))
        return FALSE;
      if (!mail_imap_word_is (w, len, "EARLIER"))
        return fail (t, _("a VANISHED response holds an unknown tag"));
      if (!mail_imap_tokenizer_list_close (t) || !mail_imap_tokenizer_sp (t))
        return FALSE;
      v->earlier = TRUE;
    }

  return mail_imap_tokenizer_set (t, &v->uids);
}

/* SP root SP "(" [resource SP usage SP limit *(SP ...)] ")" */
static gboolean
parse_quota (MailImapTokenizer *t,
             MailImapQuotaData *q)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  guint count = 0;
  gsize len;

  if (!mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_astring (t, &q->root, &len)
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      MailImapQuotaResource res;
      const guint8 *w;

      if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len)
          || (res.name = strup (t, w, len)) == NULL
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_number64 (t, &res.usage)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_number64 (t, &res.limit)
          || !mail_imap_tokenizer_scratch_push (t, &res, sizeof res))
        return FALSE;
    }

  if (t->failed)
    return FALSE;

  q->resources = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapQuotaResource),
                                                     &q->n_resources);
  return !t->failed;
}

/* SP mailbox *(SP root) */
static gboolean
parse_quotaroot (MailImapTokenizer     *t,
                 MailImapQuotaRootData *q)
{
  guint mark;
  const char *end_marker = NULL;
  guint count = 0;

  if (!mail_imap_tokenizer_sp (t) || !mail_imap_tokenizer_mailbox (t, &q->mailbox))
    return FALSE;

  mark = mail_imap_tokenizer_scratch_mark (t);
  while (more (t))
    {
      const char *root;
      gsize len;

      if (!mail_imap_tokenizer_count_item (t, &count)
          || !mail_imap_tokenizer_astring (t, &root, &len)
          || !mail_imap_tokenizer_scratch_push (t, &root, sizeof root))
        return FALSE;
    }

  if (!mail_imap_tokenizer_scratch_push (t, &end_marker, sizeof end_marker))
    return FALSE;

  q->roots = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (char *), NULL);
  return q->roots != NULL;
}

/* NIL / "(" 1*("(" string SP delimiter *(SP string SP "(" string *(SP string) ")") ")") ")" */
static gboolean
parse_namespaces (MailImapTokenizer        *t,
                  const MailImapNamespace **out,
                  guint                    *n_out)
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
      MailImapNamespace ns = { { NULL, NULL, FALSE }, 0, 0, NULL };
      guint ext_mark;
      guint n_ext = 0;

      if (!mail_imap_tokenizer_list_open (t)
          || !mail_imap_tokenizer_mailbox (t, &ns.prefix)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_delimiter (t, &ns.delimiter))
        return FALSE;

      ext_mark = mail_imap_tokenizer_scratch_mark (t);
      while (mail_imap_tokenizer_list_next (t, &n_ext))
        {
          MailImapTaggedValue ext;
          gsize len;

          if (!mail_imap_tokenizer_string (t, &ext.name, &len)
              || !mail_imap_tokenizer_sp (t)
              || !mail_imap_tokenizer_value (t, &ext.value)
              || !mail_imap_tokenizer_scratch_push (t, &ext, sizeof ext))
            return FALSE;
        }
      if (t->failed)
        return FALSE;

      ns.extensions = mail_imap_tokenizer_scratch_finish (t, ext_mark,
                                                          sizeof (MailImapTaggedValue),
                                                          &ns.n_extensions);
      if (t->failed || !mail_imap_tokenizer_scratch_push (t, &ns, sizeof ns))
        return FALSE;
    }

  if (t->failed)
    return FALSE;

  *out = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapNamespace), n_out);
  return !t->failed;
}

static gboolean
parse_namespace (MailImapTokenizer     *t,
                 MailImapNamespaceData *ns)
{
  return mail_imap_tokenizer_sp (t)
         && parse_namespaces (t, &ns->personal, &ns->n_personal)
         && mail_imap_tokenizer_sp (t)
         && parse_namespaces (t, &ns->other, &ns->n_other)
         && mail_imap_tokenizer_sp (t)
         && parse_namespaces (t, &ns->shared, &ns->n_shared);
}

/* SP ("(" [string SP nstring *(SP string SP nstring)] ")" / NIL) */
static gboolean
parse_id (MailImapTokenizer *t,
          MailImapIdData    *id)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  guint count = 0;

  if (!mail_imap_tokenizer_sp (t))
    return FALSE;

  if (mail_imap_tokenizer_try_nil (t))
    return TRUE;

  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      MailImapParam param;
      gsize len;

      if (!mail_imap_tokenizer_string (t, &param.name, &len)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_nstring (t, &param.value, &len)
          || !mail_imap_tokenizer_scratch_push (t, &param, sizeof param))
        return FALSE;
    }

  if (t->failed)
    return FALSE;

  id->params = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapParam),
                                                   &id->n_params);
  return !t->failed;
}

static gboolean
parse_other (MailImapTokenizer *t,
             MailImapResponse  *r,
             const guint8      *name,
             gsize              len)
{
  r->kind = MAIL_IMAP_RESPONSE_OTHER;
  r->other.name = strup (t, name, len);

  return r->other.name != NULL
         && mail_imap_tokenizer_values_to_end (t, &r->other.values, &r->other.n_values);
}

static gboolean
parse_untagged (MailImapTokenizer *t,
                MailImapResponse  *r)
{
  const guint8 *w;
  gsize len;
  MailImapStatus status;

  if (g_ascii_isdigit (mail_imap_tokenizer_peek (t)))
    {
      if (!mail_imap_tokenizer_number (t, &r->number)
          || !mail_imap_tokenizer_sp (t)
          || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len))
        return FALSE;

      if (mail_imap_word_is (w, len, "FETCH"))
        {
          r->kind = MAIL_IMAP_RESPONSE_FETCH;
          if (r->number == 0)
            return fail (t, _("a FETCH response is for message number zero"));
          return mail_imap_tokenizer_sp (t) && _mail_imap_parse_fetch (t, &r->fetch);
        }
      if (mail_imap_word_is (w, len, "EXISTS"))
        {
          r->kind = MAIL_IMAP_RESPONSE_EXISTS;
          return TRUE;
        }
      if (mail_imap_word_is (w, len, "EXPUNGE"))
        {
          r->kind = MAIL_IMAP_RESPONSE_EXPUNGE;
          if (r->number == 0)
            return fail (t, _("an EXPUNGE response is for message number zero"));
          return TRUE;
        }
      if (mail_imap_word_is (w, len, "RECENT"))
        {
          r->kind = MAIL_IMAP_RESPONSE_RECENT;
          return TRUE;
        }

      return parse_other (t, r, w, len);
    }

  if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &w, &len))
    return FALSE;

  status = status_from_word (w, len);
  if (status != MAIL_IMAP_STATUS_NONE)
    {
      r->kind = MAIL_IMAP_RESPONSE_STATUS;
      r->status = status;
      return parse_resp_text (t, r);
    }

  if (mail_imap_word_is (w, len, "CAPABILITY"))
    {
      r->kind = MAIL_IMAP_RESPONSE_CAPABILITY;
      return parse_atoms (t, &r->capability);
    }
  if (mail_imap_word_is (w, len, "LIST") || mail_imap_word_is (w, len, "LSUB"))
    {
      r->kind = g_ascii_toupper (w[1]) == 'I' ? MAIL_IMAP_RESPONSE_LIST : MAIL_IMAP_RESPONSE_LSUB;
      return parse_list (t, &r->list);
    }
  if (mail_imap_word_is (w, len, "STATUS"))
    {
      r->kind = MAIL_IMAP_RESPONSE_MAILBOX_STATUS;
      return parse_mailbox_status (t, &r->mailbox_status);
    }
  if (mail_imap_word_is (w, len, "FLAGS"))
    {
      r->kind = MAIL_IMAP_RESPONSE_FLAGS;
      return mail_imap_tokenizer_sp (t) && mail_imap_tokenizer_flag_list (t, &r->flags);
    }
  if (mail_imap_word_is (w, len, "SEARCH") || mail_imap_word_is (w, len, "SORT"))
    {
      r->kind = MAIL_IMAP_RESPONSE_SEARCH;
      return parse_search (t, &r->search);
    }
  if (mail_imap_word_is (w, len, "ESEARCH"))
    {
      r->kind = MAIL_IMAP_RESPONSE_ESEARCH;
      return parse_esearch (t, &r->esearch);
    }
  if (mail_imap_word_is (w, len, "ENABLED"))
    {
      r->kind = MAIL_IMAP_RESPONSE_ENABLED;
      return parse_atoms (t, &r->enabled);
    }
  if (mail_imap_word_is (w, len, "VANISHED"))
    {
      r->kind = MAIL_IMAP_RESPONSE_VANISHED;
      return parse_vanished (t, &r->vanished);
    }
  if (mail_imap_word_is (w, len, "QUOTA"))
    {
      r->kind = MAIL_IMAP_RESPONSE_QUOTA;
      return parse_quota (t, &r->quota);
    }
  if (mail_imap_word_is (w, len, "QUOTAROOT"))
    {
      r->kind = MAIL_IMAP_RESPONSE_QUOTAROOT;
      return parse_quotaroot (t, &r->quotaroot);
    }
  if (mail_imap_word_is (w, len, "NAMESPACE"))
    {
      r->kind = MAIL_IMAP_RESPONSE_NAMESPACE;
      return parse_namespace (t, &r->ns);
    }
  if (mail_imap_word_is (w, len, "ID"))
    {
      r->kind = MAIL_IMAP_RESPONSE_ID;
      return parse_id (t, &r->id);
    }

  return parse_other (t, r, w, len);
}

static gboolean
parse_tagged (MailImapTokenizer *t,
              MailImapResponse  *r)
{
  const guint8 *s;
  gsize len;

  r->kind = MAIL_IMAP_RESPONSE_TAGGED;

  if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_TAG, &s, &len))
    return FALSE;
  r->tag = mail_imap_tokenizer_strndup (t, s, len);
  if (r->tag == NULL
      || !mail_imap_tokenizer_sp (t)
      || !mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &s, &len))
    return FALSE;

  r->status = status_from_word (s, len);
  if (r->status != MAIL_IMAP_STATUS_OK
      && r->status != MAIL_IMAP_STATUS_NO
      && r->status != MAIL_IMAP_STATUS_BAD)
    return fail (t, _("a tagged response has no OK, NO or BAD"));

  return parse_resp_text (t, r);
}

/**
 * _mail_imap_parse_line:
 * @t: a tokenizer over one framed response
 * @response: the response to fill
 *
 * Parses one response. Fails unless every byte of the line and every literal were used.
 *
 * Returns: %TRUE on success
 */
gboolean
_mail_imap_parse_line (MailImapTokenizer *t,
                       MailImapResponse  *response)
{
  int c = mail_imap_tokenizer_peek (t);
  gboolean ok;

  if (c == -1)
    return fail (t, _("the response is empty"));

  if (c == '+')
    {
      t->p++;
      response->kind = MAIL_IMAP_RESPONSE_CONTINUATION;
      mail_imap_tokenizer_try (t, ' ');
      ok = mail_imap_tokenizer_text (t, NULL, &response->text);
    }
  else if (c == '*')
    {
      t->p++;
      ok = mail_imap_tokenizer_sp (t) && parse_untagged (t, response);
    }
  else
    {
      ok = parse_tagged (t, response);
    }

  if (!ok)
    return FALSE;

  if (more (t))
    return fail (t, _("there is unexpected data at the end of the response"));

  if (t->next_literal != t->n_literals)
    return fail (t, _("a literal was sent where none belongs"));

  return TRUE;
}
