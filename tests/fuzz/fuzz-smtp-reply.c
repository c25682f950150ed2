/* fuzz-smtp-reply.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the SMTP side: the incremental reply parser and the EHLO reader
 * over the input as server lines, and the DATA encoder over the input as a message, which
 * must never let a bare CR or LF, or an early end-of-data marker, reach the wire.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail-smtp-data.h"
#include "mail-smtp-reply.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
parse_replies (const char *start,
               const char *end)
{
  MailSmtpReplyParser *parser = mail_smtp_reply_parser_new ();

  while (start < end)
    {
      const char *newline = memchr (start, '\n', end - start);
      const char *stop = newline != NULL ? newline : end;
      gsize length = stop - start;
      MailSmtpReply *reply = NULL;
      GError *error = NULL;
      char *line;

      if (length > 0 && start[length - 1] == '\r')
        length--;
      line = g_strndup (start, length);

      if (!mail_smtp_reply_parser_feed (parser, line, length, &reply, &error))
        {
          g_clear_error (&error);
          mail_smtp_reply_parser_reset (parser);
        }
      else if (reply != NULL)
        {
          MailSmtpEhlo ehlo = { 0 };
          guint code = mail_smtp_reply_get_code (reply);
          char *text;

          if (code < 200 || code > 599)
            abort ();
          text = mail_smtp_reply_dup_text (reply);
          if (text != NULL && !g_utf8_validate (text, -1, NULL))
            abort ();
          g_free (text);
          g_free (mail_smtp_reply_describe (reply));
          mail_smtp_ehlo_parse (reply, &ehlo);
          mail_smtp_ehlo_clear (&ehlo);
          mail_smtp_reply_unref (reply);
        }

      g_free (line);
      start = newline != NULL ? newline + 1 : end;
    }

  mail_smtp_reply_parser_free (parser);
}

static void
check_encoding (const uint8_t *data,
                size_t         size)
{
  MailSmtpDataInfo info = { 0 };
  GError *error = NULL;
  GBytes *encoded = mail_smtp_data_encode (data, size, &info, &error);
  const char *wire;
  gsize length;

  if (encoded == NULL)
    {
      g_clear_error (&error);
      return;
    }

  wire = g_bytes_get_data (encoded, &length);
  if (length < 3 || memcmp (wire + length - 3, ".\r\n", 3) != 0)
    abort ();

  for (gsize i = 0; i < length; i++)
    {
      if (wire[i] == '\r' && (i + 1 >= length || wire[i + 1] != '\n'))
        abort ();
      if (wire[i] == '\n' && (i == 0 || wire[i - 1] != '\r'))
        abort ();
      if (wire[i] == '\0')
        abort ();
    }

  /* The end-of-data marker appears once, at the very end (or the message is empty). */
  for (gsize i = 0; i + 5 <= length; i++)
    if (memcmp (wire + i, "\r\n.\r\n", 5) == 0 && i + 5 != length)
      abort ();
  if (length > 3 && memcmp (wire, ".\r\n", 3) == 0)
    abort ();

  g_bytes_unref (encoded);
}

static void
check_address (const uint8_t *data,
               size_t         size)
{
  char *address = g_strndup ((const char *) data, MIN (size, 512));
  gboolean needs_smtputf8 = FALSE;
  GError *error = NULL;
  char *envelope;

  if (mail_smtp_address_check (address, &needs_smtputf8, &error))
    {
      /* An accepted address never carries a line break or a NUL into a command. */
      if (strpbrk (address, "\r\n") != NULL)
        abort ();
      envelope = mail_smtp_address_to_envelope (address, needs_smtputf8, &error);
      if (envelope != NULL && strpbrk (envelope, "\r\n") != NULL)
        abort ();
      g_free (envelope);
    }
  g_clear_error (&error);

  if (mail_smtp_header_check ("Subject", address, &error) && strpbrk (address, "\r\n") != NULL)
    abort ();
  g_clear_error (&error);
  g_free (address);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  parse_replies ((const char *) data, (const char *) data + size);
  check_encoding (data, size);
  check_address (data, size);

  return 0;
}
