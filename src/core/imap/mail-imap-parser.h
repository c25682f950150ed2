/* mail-imap-parser.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-imap-response.h"

G_BEGIN_DECLS

/**
 * MailImapParserLimits:
 * @max_line_length: the longest line outside literals, in bytes, without its CRLF
 * @max_literal_size: the largest literal kept in memory, in bytes (a streamed literal is
 *   held to what its #MailImapLiteralFuncs accepts instead)
 * @max_response_size: the largest response, counting its lines and literals; also caps
 *   the memory its parsed structs may take
 * @max_depth: the deepest nesting of parenthesised lists
 * @max_list_items: the most items in one list (flags, addresses, body parts, generic
 *   lists, sequence set ranges); SEARCH results and ESEARCH ALL sets are bounded by
 *   @max_line_length instead
 *
 * Hard limits on what a server may send. Going past any of them is an error, never an
 * allocation of the announced size: see mail_imap_parser_limits_init() for the defaults
 * and why they were chosen.
 */
typedef struct
{
  gsize max_line_length;
  gsize max_literal_size;
  gsize max_response_size;
  guint max_depth;
  guint max_list_items;
} MailImapParserLimits;

/**
 * MailImapParseResult:
 * @MAIL_IMAP_PARSE_NEED_MORE: no complete response is buffered; feed more bytes
 * @MAIL_IMAP_PARSE_RESPONSE: a response was returned
 * @MAIL_IMAP_PARSE_ERROR: an error was returned
 *
 * What mail_imap_parser_next() produced.
 */
typedef enum
{
  MAIL_IMAP_PARSE_NEED_MORE,
  MAIL_IMAP_PARSE_RESPONSE,
  MAIL_IMAP_PARSE_ERROR,
} MailImapParseResult;

/**
 * MailImapLiteralAction:
 * @MAIL_IMAP_LITERAL_KEEP: keep the literal in memory, within the parser's limits
 * @MAIL_IMAP_LITERAL_STREAM: hand its bytes to the #MailImapLiteralFuncs as they arrive
 * @MAIL_IMAP_LITERAL_REFUSE: fail the stream with the error given
 *
 * What a #MailImapLiteralFuncs wants done with the content of a FETCH body section.
 */
typedef enum
{
  MAIL_IMAP_LITERAL_KEEP,
  MAIL_IMAP_LITERAL_STREAM,
  MAIL_IMAP_LITERAL_REFUSE,
} MailImapLiteralAction;

/**
 * MailImapLiteralFuncs:
 * @begin: called when a FETCH response announces a literal that is the content of a
 *   message section (BODY[...], BINARY[...], RFC822, RFC822.HEADER, RFC822.TEXT) at the
 *   response's top level; @info tells which message and section (its UID only when the
 *   server sent it first). Literals anywhere else are kept. Set the error with
 *   %MAIL_IMAP_LITERAL_REFUSE.
 * @data: called with the bytes of a streamed literal, in pieces of any size, as they are
 *   fed; the pointer is only valid during the call
 * @end: called when a streamed literal's last byte was fed
 *
 * How a parser hands the bodies of FETCH responses to a consumer instead of holding them:
 * see mail_imap_parser_set_literal_funcs().
 */
typedef struct
{
  MailImapLiteralAction (*begin) (const MailImapBodyInfo  *info,
                                  gpointer                 user_data,
                                  GError                 **error);
  void                  (*data)  (const guint8            *data,
                                  gsize                    len,
                                  gpointer                 user_data);
  void                  (*end)   (gpointer                 user_data);
} MailImapLiteralFuncs;

typedef struct _MailImapParser MailImapParser;

void                 mail_imap_parser_limits_init      (MailImapParserLimits        *limits);

MailImapParser      *mail_imap_parser_new              (const MailImapParserLimits  *limits) G_GNUC_WARN_UNUSED_RESULT;
void                 mail_imap_parser_free             (MailImapParser              *self);
void                 mail_imap_parser_set_utf8_accept  (MailImapParser              *self,
                                                        gboolean                     utf8_accept);
gboolean             mail_imap_parser_get_utf8_accept  (MailImapParser              *self);
void                 mail_imap_parser_feed             (MailImapParser              *self,
                                                        const void                  *data,
                                                        gsize                        len);
gsize                mail_imap_parser_feed_one         (MailImapParser              *self,
                                                        const void                  *data,
                                                        gsize                        len);
void                 mail_imap_parser_set_literal_funcs (MailImapParser             *self,
                                                        const MailImapLiteralFuncs  *funcs,
                                                        gpointer                     user_data);
MailImapParseResult  mail_imap_parser_next             (MailImapParser              *self,
                                                        MailImapResponse           **response,
                                                        GError                     **error);
gboolean             mail_imap_parser_is_failed        (MailImapParser              *self);
gboolean             mail_imap_parser_has_buffered_data (MailImapParser             *self);
void                 mail_imap_parser_reset            (MailImapParser              *self);

MailImapResponse    *mail_imap_parse_response          (const char                  *data,
                                                        gsize                        len,
                                                        const MailImapParserLimits  *limits,
                                                        GError                     **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapParser, mail_imap_parser_free)

G_END_DECLS
