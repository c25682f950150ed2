/* mail-imap-response-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-imap-response.h"

G_BEGIN_DECLS

/* One literal of a framed response. The framer fills @data (always followed by a NUL
 * byte not counted in @len); the response that is parsed from it takes @data over.
 * @line_pos is where the literal's announcement ("{n}") ends in the response's line text,
 * which is how the tokenizer knows which literal an announcement refers to. A literal
 * whose bytes went to a body sink as they arrived is @streamed: @data is then empty and
 * @streamed_size is what the sink received. */
typedef struct
{
  guint8   *data;
  gsize     len;
  gsize     line_pos;
  gboolean  binary;
  gboolean  streamed;
  guint64   streamed_size;
} MailImapLiteral;

typedef struct _MailImapArenaChunk MailImapArenaChunk;

/* A bump allocator: every struct and string of one response comes from it, and it is freed
 * in one go with the response. @total counts every byte it obtained from malloc and may
 * not pass @cap. */
typedef struct
{
  guint8             *ptr;
  guint8             *end;
  MailImapArenaChunk *chunks;
  gsize               total;
  gsize               cap;
  gsize               next_size;
} MailImapArena;

#define MAIL_IMAP_ARENA_ALIGN 8

MailImapResponse *_mail_imap_response_new             (gsize              arena_cap);
MailImapArena    *_mail_imap_response_get_arena       (MailImapResponse  *self);
gsize             _mail_imap_response_get_memory_size (const MailImapResponse *self);
void              _mail_imap_response_take_literals   (MailImapResponse  *self,
                                                       MailImapLiteral   *literals,
                                                       guint              n_literals);
gboolean          _mail_imap_response_check_text      (const MailImapResponse  *self,
                                                       gboolean                 use_text,
                                                       GError                 **error);
MailImapCodeKind  _mail_imap_code_kind_from_name      (const char        *name,
                                                       gsize              len);
gpointer          _mail_imap_arena_alloc_slow         (MailImapArena     *arena,
                                                       gsize              size);

/* Returns %NULL when the arena would grow past its cap. */
static inline gpointer
_mail_imap_arena_alloc (MailImapArena *arena,
                        gsize          size)
{
  gsize aligned;
  gpointer p;

  if (G_UNLIKELY (size > arena->cap))
    return NULL;

  aligned = (size + (MAIL_IMAP_ARENA_ALIGN - 1)) & ~(gsize) (MAIL_IMAP_ARENA_ALIGN - 1);
  if (G_UNLIKELY ((gsize) (arena->end - arena->ptr) < aligned))
    return _mail_imap_arena_alloc_slow (arena, aligned);

  p = arena->ptr;
  arena->ptr += aligned;
  return p;
}

G_END_DECLS
