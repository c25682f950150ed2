/* mail-imap-tokenizer.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-imap-error.h"
#include "mail-imap-parser.h"
#include "mail-imap-response-private.h"

G_BEGIN_DECLS

/* A cursor over one complete, framed response: the reading primitives of the IMAP grammar
 * (atoms, numbers, strings, literals, lists, sets), with every value copied into the
 * response's arena. Nothing here does I/O or blocks; the framer in mail-imap-parser.c has
 * already collected the whole response.
 *
 * The line text holds the response's lines joined without their CRLFs; a literal's
 * announcement ("{5}") stays in the text, and the literal's bytes are in @literals,
 * matched by position. Every function returns FALSE on failure after recording the first
 * error in the tokenizer; callers just propagate FALSE. */

typedef struct
{
  const guint8               *start;
  const guint8               *p;
  const guint8               *end;
  const MailImapLiteral      *literals;
  guint                       n_literals;
  guint                       next_literal;
  /* The literal read last, if any: how a section knows its content was streamed. */
  const MailImapLiteral      *last_literal;
  guint                       depth;
  gboolean                    utf8_accept;
  MailImapArena              *arena;
  GByteArray                 *scratch;
  const MailImapParserLimits *limits;
  gboolean                    failed;
  MailImapError               error_code;
  char                       *error_message;
} MailImapTokenizer;

/* A saved position, to retry a different reading (malformed response codes). */
typedef struct
{
  const guint8 *p;
  guint         next_literal;
  guint         depth;
  guint         scratch_len;
} MailImapTokenizerState;

enum
{
  MAIL_IMAP_CC_ATOM    = 1 << 0,  /* ATOM-CHAR, plus 8-bit bytes */
  MAIL_IMAP_CC_ASTRING = 1 << 1,  /* ASTRING-CHAR: ATOM-CHAR and "]" */
  MAIL_IMAP_CC_TAG     = 1 << 2,  /* ASTRING-CHAR except "+" */
  MAIL_IMAP_CC_DIGIT   = 1 << 3,
  MAIL_IMAP_CC_ITEM    = 1 << 4,  /* FETCH item names: letters, digits, ".", "-", "_" */
  MAIL_IMAP_CC_SET     = 1 << 5,  /* sequence sets: digits, ",", ":", "*" */
  MAIL_IMAP_CC_LOOSE   = 1 << 6,  /* generic atoms: anything but SP ( ) " { and controls */
};

extern const guint8 mail_imap_char_class[256];

#define MAIL_IMAP_IS(c, cls) ((mail_imap_char_class[(guint8) (c)] & (cls)) != 0)

void      mail_imap_tokenizer_init            (MailImapTokenizer            *t,
                                               const guint8                 *line,
                                               gsize                         len,
                                               const MailImapLiteral        *literals,
                                               guint                         n_literals,
                                               MailImapArena                *arena,
                                               GByteArray                   *scratch,
                                               const MailImapParserLimits   *limits,
                                               gboolean                      utf8_accept);
void      mail_imap_tokenizer_clear           (MailImapTokenizer            *t);
gboolean  mail_imap_tokenizer_fail            (MailImapTokenizer            *t,
                                               MailImapError                 code,
                                               const char                   *format,
                                               ...) G_GNUC_PRINTF (3, 4);
void      mail_imap_tokenizer_save            (MailImapTokenizer            *t,
                                               MailImapTokenizerState       *state);
gboolean  mail_imap_tokenizer_restore         (MailImapTokenizer            *t,
                                               const MailImapTokenizerState *state);

gpointer  mail_imap_tokenizer_alloc           (MailImapTokenizer            *t,
                                               gsize                         size);
gpointer  mail_imap_tokenizer_alloc0          (MailImapTokenizer            *t,
                                               gsize                         size);
char     *mail_imap_tokenizer_strndup         (MailImapTokenizer            *t,
                                               const void                   *data,
                                               gsize                         len);
char     *mail_imap_tokenizer_strdown         (MailImapTokenizer            *t,
                                               const char                   *str);

guint     mail_imap_tokenizer_scratch_mark    (MailImapTokenizer            *t);
gboolean  mail_imap_tokenizer_scratch_push    (MailImapTokenizer            *t,
                                               const void                   *data,
                                               gsize                         size);
gpointer  mail_imap_tokenizer_scratch_finish  (MailImapTokenizer            *t,
                                               guint                         mark,
                                               gsize                         elem_size,
                                               guint                        *n_elems);
gboolean  mail_imap_tokenizer_count_item      (MailImapTokenizer            *t,
                                               guint                        *count);

gboolean  mail_imap_tokenizer_sp              (MailImapTokenizer            *t);
gboolean  mail_imap_tokenizer_expect          (MailImapTokenizer            *t,
                                               char                          c);
gboolean  mail_imap_tokenizer_list_open       (MailImapTokenizer            *t);
gboolean  mail_imap_tokenizer_list_close      (MailImapTokenizer            *t);
gboolean  mail_imap_tokenizer_list_next       (MailImapTokenizer            *t,
                                               guint                        *count);
gboolean  mail_imap_tokenizer_slice           (MailImapTokenizer            *t,
                                               guint                         cls,
                                               const guint8                **s,
                                               gsize                        *len);
gboolean  mail_imap_tokenizer_atom            (MailImapTokenizer            *t,
                                               const char                  **out);
gboolean  mail_imap_tokenizer_flag            (MailImapTokenizer            *t,
                                               const char                  **out,
                                               MailImapFlags                *bit);
gboolean  mail_imap_tokenizer_flag_list       (MailImapTokenizer            *t,
                                               MailImapFlagList             *out);
gboolean  mail_imap_tokenizer_number          (MailImapTokenizer            *t,
                                               guint32                      *out);
gboolean  mail_imap_tokenizer_nz_number       (MailImapTokenizer            *t,
                                               guint32                      *out);
gboolean  mail_imap_tokenizer_number64        (MailImapTokenizer            *t,
                                               guint64                      *out);
gboolean  mail_imap_tokenizer_try_nil         (MailImapTokenizer            *t);
gboolean  mail_imap_tokenizer_string          (MailImapTokenizer            *t,
                                               const char                  **out,
                                               gsize                        *len);
gboolean  mail_imap_tokenizer_nstring         (MailImapTokenizer            *t,
                                               const char                  **out,
                                               gsize                        *len);
gboolean  mail_imap_tokenizer_nstring8        (MailImapTokenizer            *t,
                                               const char                  **out,
                                               gsize                        *len);
gboolean  mail_imap_tokenizer_astring         (MailImapTokenizer            *t,
                                               const char                  **out,
                                               gsize                        *len);
gboolean  mail_imap_tokenizer_text            (MailImapTokenizer            *t,
                                               const guint8                 *stop,
                                               const char                  **out);
gboolean  mail_imap_tokenizer_value           (MailImapTokenizer            *t,
                                               MailImapValue                *out);
gboolean  mail_imap_tokenizer_values_to_end   (MailImapTokenizer            *t,
                                               const MailImapValue         **values,
                                               guint                        *n_values);
gboolean  mail_imap_tokenizer_skip_value      (MailImapTokenizer            *t);
gboolean  mail_imap_tokenizer_set             (MailImapTokenizer            *t,
                                               MailImapSet                  *out);
gboolean  mail_imap_tokenizer_search_set      (MailImapTokenizer            *t,
                                               MailImapSet                  *out);
gboolean  mail_imap_tokenizer_mailbox         (MailImapTokenizer            *t,
                                               MailImapMailboxName          *out);
gboolean  mail_imap_tokenizer_delimiter       (MailImapTokenizer            *t,
                                               gunichar                     *out);
gboolean  mail_imap_tokenizer_string_list     (MailImapTokenizer            *t,
                                               const char * const          **out);

static inline gboolean
mail_imap_tokenizer_at_end (const MailImapTokenizer *t)
{
  return t->p >= t->end;
}

static inline int
mail_imap_tokenizer_peek (const MailImapTokenizer *t)
{
  return t->p < t->end ? *t->p : -1;
}

static inline gboolean
mail_imap_tokenizer_try (MailImapTokenizer *t,
                         char               c)
{
  if (t->p < t->end && *t->p == (guint8) c)
    {
      t->p++;
      return TRUE;
    }

  return FALSE;
}

/* Whether the slice @s of @len bytes is @word, ASCII case-insensitively. */
static inline gboolean
mail_imap_word_is (const guint8 *s,
                   gsize         len,
                   const char   *word)
{
  gsize i;

  for (i = 0; i < len; i++)
    {
      guint8 c = s[i] >= 'a' && s[i] <= 'z' ? s[i] - ('a' - 'A') : s[i];

      if (word[i] == '\0' || c != (guint8) word[i])
        return FALSE;
    }

  return word[i] == '\0';
}

G_END_DECLS
