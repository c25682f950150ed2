/* fuzz-imap-parser.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the IMAP response parser, the modified UTF-7 codec and the astring
 * encoder. Besides memory safety (ASan, UBSan) it checks three properties:
 *
 * - feeding the input in pieces gives exactly the responses and errors that feeding it
 *   whole gives, whatever the pieces; and so it does with every body literal streamed
 *   (mail_imap_parser_set_literal_funcs()), one response framed at a time, where the
 *   bytes streamed must also arrive only between the begin and the end of a literal;
 * - a mailbox name that decodes from modified UTF-7 encodes back to the same bytes (the
 *   decoder accepts only canonical names);
 * - an encoded astring never holds CR, LF or NUL outside a literal.
 *
 * The first input byte picks the options: UTF8=ACCEPT, small limits (so that the limit
 * paths are reached with small inputs), and the seed of the piece sizes. */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-parser.h"
#include "mail-imap-quote.h"
#include "mail-imap-utf7.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
drain (MailImapParser *parser,
       GString        *log)
{
  for (;;)
    {
      MailImapResponse *response = NULL;
      GError *error = NULL;
      MailImapParseResult result = mail_imap_parser_next (parser, &response, &error);

      if (result == MAIL_IMAP_PARSE_NEED_MORE)
        return;

      if (result == MAIL_IMAP_PARSE_ERROR)
        {
          g_string_append_printf (log, "error %d %s\n", error->code, error->message);
          g_error_free (error);
          if (mail_imap_parser_is_failed (parser))
            return;
          continue;
        }

      {
        char *dump = mail_imap_response_to_string (response);

        g_string_append (log, dump);
        g_string_append_c (log, '\n');
        g_free (dump);
        mail_imap_response_unref (response);
      }
    }
}

static char *
parse_all (const uint8_t              *data,
           size_t                      size,
           const MailImapParserLimits *limits,
           gboolean                    utf8,
           guint32                     seed)
{
  MailImapParser *parser = mail_imap_parser_new (limits);
  GString *log = g_string_new (NULL);
  guint32 state = seed;
  size_t offset = 0;

  mail_imap_parser_set_utf8_accept (parser, utf8);

  while (offset < size)
    {
      size_t n;

      if (seed == 0)
        {
          n = size;
        }
      else
        {
          state = state * 1103515245u + 12345u;
          n = 1 + (state >> 16) % 64;
        }

      n = MIN (n, size - offset);
      mail_imap_parser_feed (parser, data + offset, n);
      offset += n;
      drain (parser, log);

      /* A client closes the connection here; the error would repeat on every call. */
      if (mail_imap_parser_is_failed (parser))
        break;
    }

  g_string_append_printf (log, "buffered %d failed %d\n",
                          mail_imap_parser_has_buffered_data (parser),
                          mail_imap_parser_is_failed (parser));
  mail_imap_parser_free (parser);

  return g_string_free (log, FALSE);
}

/* Streams every literal offered: what was offered and how many bytes came goes to the log. */
typedef struct
{
  GString  *log;
  gboolean  in_literal;
  guint64   bytes;
} Streamer;

static MailImapLiteralAction
stream_begin (const MailImapBodyInfo  *info,
              gpointer                 user_data,
              GError                 **error)
{
  Streamer *streamer = user_data;

  if (streamer->in_literal)
    abort ();
  g_string_append_printf (streamer->log, "offer %u %u %d [%s] %" G_GUINT64_FORMAT "\n",
                          info->seq, info->uid, info->kind, info->section, info->size);
  /* Refuse the absurd, as the client does. */
  if (info->size > G_MAXUINT32)
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED, "too large");
      return MAIL_IMAP_LITERAL_REFUSE;
    }
  streamer->in_literal = TRUE;
  streamer->bytes = 0;

  return MAIL_IMAP_LITERAL_STREAM;
}

static void
stream_data (const guint8 *data,
             gsize         len,
             gpointer      user_data)
{
  Streamer *streamer = user_data;

  if (!streamer->in_literal || len == 0)
    abort ();
  streamer->bytes += len;
}

static void
stream_end (gpointer user_data)
{
  Streamer *streamer = user_data;

  if (!streamer->in_literal)
    abort ();
  streamer->in_literal = FALSE;
  g_string_append_printf (streamer->log, "streamed %" G_GUINT64_FORMAT "\n", streamer->bytes);
}

static const MailImapLiteralFuncs stream_funcs = { stream_begin, stream_data, stream_end };

static char *
parse_streamed (const uint8_t              *data,
                size_t                      size,
                const MailImapParserLimits *limits,
                gboolean                    utf8,
                guint32                     seed)
{
  MailImapParser *parser = mail_imap_parser_new (limits);
  Streamer streamer = { g_string_new (NULL), FALSE, 0 };
  guint32 state = seed;
  size_t offset = 0;

  mail_imap_parser_set_utf8_accept (parser, utf8);
  mail_imap_parser_set_literal_funcs (parser, &stream_funcs, &streamer);

  while (offset < size)
    {
      size_t n = size - offset;

      if (seed != 0)
        {
          state = state * 1103515245u + 12345u;
          n = MIN (n, 1 + (state >> 16) % 64);
        }

      /* As the client reads: one response at a time, the rest of the piece after it. */
      while (n > 0)
        {
          size_t used = mail_imap_parser_feed_one (parser, data + offset, n);

          offset += used;
          n -= used;
          drain (parser, streamer.log);
          if (mail_imap_parser_is_failed (parser))
            break;
        }
      if (mail_imap_parser_is_failed (parser))
        break;
    }

  g_string_append_printf (streamer.log, "buffered %d failed %d\n",
                          mail_imap_parser_has_buffered_data (parser),
                          mail_imap_parser_is_failed (parser));
  mail_imap_parser_free (parser);

  return g_string_free (streamer.log, FALSE);
}

static void
check_utf7 (const uint8_t *data,
            size_t         size)
{
  char *decoded = mail_imap_utf7_decode ((const char *) data, (gssize) size, NULL);

  if (decoded != NULL)
    {
      char *encoded = mail_imap_utf7_encode (decoded, -1, NULL);

      if (encoded == NULL || strlen (encoded) != size || memcmp (encoded, data, size) != 0)
        abort ();
      g_free (encoded);
      g_free (decoded);
    }

  decoded = mail_imap_utf7_encode ((const char *) data, (gssize) size, NULL);
  if (decoded != NULL)
    {
      char *back = mail_imap_utf7_decode (decoded, -1, NULL);

      if (back == NULL || strlen (back) != size || memcmp (back, data, size) != 0)
        abort ();
      g_free (back);
      g_free (decoded);
    }
}

static void
check_quote (const uint8_t      *data,
             size_t              size,
             MailImapQuoteFlags  flags)
{
  GString *command = g_string_new (NULL);

  if (mail_imap_append_astring (command, (const char *) data, (gssize) size, flags, NULL))
    {
      const char *p = command->str;

      /* A literal announcement and its data are the only place for CR and LF. */
      if (p[0] == '{')
        {
          char *end = NULL;
          unsigned long n = strtoul (p + 1, &end, 10);

          if (end == NULL || strncmp (end, "+}\r\n", 4) != 0 || n != size
              || memcmp (end + 4, data, size) != 0)
            abort ();
        }
      else if (memchr (p, '\r', command->len) != NULL || memchr (p, '\n', command->len) != NULL
               || memchr (p, '\0', command->len) != NULL)
        {
          abort ();
        }
    }

  g_string_free (command, TRUE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  MailImapParserLimits limits;
  gboolean utf8;
  char *whole;
  char *pieces;
  guint32 seed;

  if (size < 1)
    return 0;

  utf8 = (data[0] & 1) != 0;
  mail_imap_parser_limits_init (&limits);
  if (data[0] & 2)
    {
      limits.max_line_length = 512;
      limits.max_literal_size = 1024;
      limits.max_response_size = 4096;
      limits.max_depth = 8;
      limits.max_list_items = 16;
    }
  seed = 1 + (data[0] >> 2);
  data++;
  size--;

  whole = parse_all (data, size, &limits, utf8, 0);
  pieces = parse_all (data, size, &limits, utf8, seed);
  if (strcmp (whole, pieces) != 0)
    {
      fprintf (stderr, "whole:\n%s\npieces:\n%s\n", whole, pieces);
      abort ();
    }
  g_free (whole);
  g_free (pieces);

  whole = parse_streamed (data, size, &limits, utf8, 0);
  pieces = parse_streamed (data, size, &limits, utf8, seed);
  if (strcmp (whole, pieces) != 0)
    {
      fprintf (stderr, "streamed whole:\n%s\nstreamed pieces:\n%s\n", whole, pieces);
      abort ();
    }
  g_free (whole);
  g_free (pieces);

  {
    MailImapResponse *response = mail_imap_parse_response ((const char *) data, size, &limits,
                                                           NULL);

    if (response != NULL)
      mail_imap_response_unref (response);
  }

  if (size < 4096)
    {
      check_utf7 (data, size);
      check_quote (data, size, utf8 ? MAIL_IMAP_QUOTE_UTF8 | MAIL_IMAP_QUOTE_LITERAL_PLUS
                                    : MAIL_IMAP_QUOTE_LITERAL_MINUS);
    }

  return 0;
}
