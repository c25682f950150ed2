/* fuzz-pop3-reply.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the POP3 reply parsers: every line of the input goes through the
 * status-line parser and each listing parser, as a hostile server's answer would.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail-pop3-reply.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
parse_line (const char *line,
            gsize       length)
{
  MailPop3Reply reply = { 0 };
  GError *error = NULL;
  const char *unstuffed = NULL;
  gsize unstuffed_length = 0;
  guint number = 0;
  guint count = 0;
  guint64 octets = 0;
  char *uid = NULL;
  char *text;

  if (mail_pop3_reply_parse (line, length, TRUE, &reply, &error))
    {
      /* What the parser hands on is text fit to show: valid UTF-8, no controls. */
      if (reply.text != NULL && !g_utf8_validate (reply.text, -1, NULL))
        abort ();
      if (reply.text != NULL && mail_pop3_parse_stat (reply.text, &count, &octets, NULL))
        (void) count;
    }
  g_clear_error (&error);
  mail_pop3_reply_clear (&reply);

  mail_pop3_multiline_unstuff (line, length, &unstuffed, &unstuffed_length);
  if (unstuffed != NULL && (unstuffed < line || unstuffed + unstuffed_length > line + length))
    abort ();

  if (!mail_pop3_parse_scan_listing (line, length, &number, &octets, &error))
    g_clear_error (&error);
  if (mail_pop3_parse_unique_id_listing (line, length, &number, &uid, &error))
    g_free (uid);
  else
    g_clear_error (&error);

  g_free (mail_pop3_parse_capability (line, length));

  text = mail_pop3_sanitize_text (line, length);
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    abort ();
  g_free (text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *start = (const char *) data;
  const char *end = start + size;

  while (start < end)
    {
      const char *newline = memchr (start, '\n', end - start);
      const char *stop = newline != NULL ? newline : end;
      gsize length = stop - start;

      if (length > 0 && start[length - 1] == '\r')
        length--;

      /* The parsers get the line without its terminator, in a buffer of its own, as the
       * connection's reader hands it over. */
      {
        char *line = g_strndup (start, length);

        parse_line (line, length);
        g_free (line);
      }

      start = newline != NULL ? newline + 1 : end;
    }

  return 0;
}
