/* mail-imap-quote.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MailImapQuoteFlags:
 * @MAIL_IMAP_QUOTE_NONE: plain IMAP4rev1
 * @MAIL_IMAP_QUOTE_UTF8: UTF8=ACCEPT or IMAP4rev2 is in effect: UTF-8 may be quoted
 * @MAIL_IMAP_QUOTE_LITERAL_PLUS: the server has LITERAL+: non-synchronizing literals of
 *   any size may be used
 * @MAIL_IMAP_QUOTE_LITERAL_MINUS: the server has LITERAL-: non-synchronizing literals of
 *   up to 4096 bytes may be used
 * @MAIL_IMAP_QUOTE_NO_ATOM: always quote, even a string that could go as an atom
 *
 * What the server allows when a string is put into a command.
 */
typedef enum /*< flags >*/
{
  MAIL_IMAP_QUOTE_NONE          = 0,
  MAIL_IMAP_QUOTE_UTF8          = 1 << 0,
  MAIL_IMAP_QUOTE_LITERAL_PLUS  = 1 << 1,
  MAIL_IMAP_QUOTE_LITERAL_MINUS = 1 << 2,
  MAIL_IMAP_QUOTE_NO_ATOM       = 1 << 3,
} MailImapQuoteFlags;

/**
 * MailImapAstringForm:
 * @MAIL_IMAP_ASTRING_ATOM: the string can be sent as it is
 * @MAIL_IMAP_ASTRING_QUOTED: the string must be quoted
 * @MAIL_IMAP_ASTRING_LITERAL: the string must be sent as a literal (it holds CR or LF, 8-bit
 *   data the server did not agree to see quoted, or is long)
 * @MAIL_IMAP_ASTRING_UNSENDABLE: the string holds a NUL byte and cannot be sent at all
 *
 * How a string must be written in a command.
 */
typedef enum
{
  MAIL_IMAP_ASTRING_ATOM,
  MAIL_IMAP_ASTRING_QUOTED,
  MAIL_IMAP_ASTRING_LITERAL,
  MAIL_IMAP_ASTRING_UNSENDABLE,
} MailImapAstringForm;

/* Strings longer than this are sent as literals rather than quoted. */
#define MAIL_IMAP_QUOTED_MAX 1024

MailImapAstringForm mail_imap_astring_form    (const char          *str,
                                               gsize                len,
                                               MailImapQuoteFlags   flags);
gboolean            mail_imap_append_astring  (GString             *command,
                                               const char          *str,
                                               gssize               len,
                                               MailImapQuoteFlags   flags,
                                               GError             **error);
gboolean            mail_imap_append_mailbox  (GString             *command,
                                               const char          *name,
                                               MailImapQuoteFlags   flags,
                                               GError             **error);

G_END_DECLS
