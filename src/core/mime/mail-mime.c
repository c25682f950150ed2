/* mail-mime.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A raw RFC 5322 message, or just its header, to what the store keeps of it
 * (MailMimeSummary), with GMime 3.2.
 *
 * A message is parsed from a file descriptor whenever it is large: GMime's parser then
 * leaves each part's content in the file ("persistent stream") and the text is read from
 * it through a decoding filter, up to a cap, so a 200 MiB message never sits in memory.
 *
 * Header values are read from their raw bytes, never through GMime's own decoding of
 * 8-bit text, so that the order is the one the store promises: UTF-8 if the bytes are
 * UTF-8, else the charset the message declares, else Windows-1252
 * (mail_mime_text_to_utf8()); encoded-words are decoded after that.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mail-mime-private.h"

/* Messages up to this size are parsed in memory when read from a stream; larger ones
 * are spooled to an unlinked temporary file first. */
#define SPOOL_THRESHOLD (1024 * 1024)

static GMimeParserOptions *parser_options;

/**
 * mail_mime_init:
 *
 * Initialises GMime once for the process; safe to call from any thread, any number of
 * times. Every parsing function calls it.
 */
void
mail_mime_init (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      static const char *fallback_charsets[] = { "utf-8", "windows-1252", NULL };
      GMimeParserOptions *options;

      g_mime_init ();

      options = g_mime_parser_options_new ();
      g_mime_parser_options_set_address_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
      g_mime_parser_options_set_parameter_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
      g_mime_parser_options_set_rfc2047_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
      g_mime_parser_options_set_allow_addresses_without_domain (options, TRUE);
      g_mime_parser_options_set_fallback_charsets (options, fallback_charsets);
      parser_options = options;

      g_once_init_leave (&initialised, 1);
    }
}

/* The options every parse uses; never changed after mail_mime_init(), so they are
 * shared by all threads. */
GMimeParserOptions *
_mail_mime_parser_options (void)
{
  mail_mime_init ();
  return parser_options;
}

/**
 * mail_mime_address_new:
 * @name: (nullable): the display name
 * @address: (nullable): the address
 *
 * Returns: (transfer full): a mailbox
 */
MailMimeAddress *
mail_mime_address_new (const char *name,
                       const char *address)
{
  MailMimeAddress *self = g_new0 (MailMimeAddress, 1);

  self->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  self->address = g_strdup (address != NULL ? address : "");

  return self;
}

/**
 * mail_mime_address_free:
 * @address: (nullable): a mailbox
 */
void
mail_mime_address_free (MailMimeAddress *address)
{
  if (address == NULL)
    return;

  g_free (address->name);
  g_free (address->address);
  g_free (address);
}

static MailMimeSummary *
summary_new (gint64 fallback_date)
{
  MailMimeSummary *summary = g_new0 (MailMimeSummary, 1);

  summary->to = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_mime_address_free);
  summary->cc = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_mime_address_free);
  summary->subject = g_strdup ("");
  summary->date = fallback_date;
  summary->references = g_new0 (char *, 1);

  return summary;
}

/**
 * mail_mime_summary_free:
 * @summary: (nullable): a summary
 */
void
mail_mime_summary_free (MailMimeSummary *summary)
{
  if (summary == NULL)
    return;

  mail_mime_address_free (summary->from);
  g_ptr_array_unref (summary->to);
  g_ptr_array_unref (summary->cc);
  g_free (summary->subject);
  g_free (summary->message_id);
  g_free (summary->in_reply_to);
  g_strfreev (summary->references);
  g_free (summary->charset);
  g_free (summary->preview);
  g_free (summary->body_text);
  g_free (summary);
}

/* The header's value with its line folding removed. */
static char *
unfold (const char *raw,
        gsize       len)
{
  char *out = g_malloc (len + 1);
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    if (raw[i] != '\r' && raw[i] != '\n')
      out[n++] = raw[i];
  out[n] = '\0';

  return out;
}

/* Adjacent base64 encoded-words of one charset, as one word. GMime 3.2 joins such words'
 * payloads before decoding them (a character may be split between two words), but a
 * padded payload ("...Rgg==") then ends the decoding, and the words after it are lost. Their
 * bytes are joined here instead, and encoded again as one. */
static char *
merge_base64_words (const char *text)
{
  static GRegex *word;
  g_autoptr (GMatchInfo) match = NULL;
  GString *out = g_string_new (NULL);
  g_autoptr (GByteArray) bytes = NULL;
  g_autofree char *charset = NULL;
  const char *copied = text;
  const char *run_end = NULL;

  if (g_once_init_enter (&word))
    g_once_init_leave (&word, g_regex_new ("=\\?([^?\\s]+)\\?[bB]\\?([A-Za-z0-9+/=]*)\\?=",
                                           G_REGEX_OPTIMIZE | G_REGEX_RAW, 0, NULL));

  g_regex_match (word, text, 0, &match);
  while (g_match_info_matches (match))
    {
      int start, end;
      g_autofree char *this_charset = g_match_info_fetch (match, 1);
      g_autofree char *payload = g_match_info_fetch (match, 2);
      gboolean joins = FALSE;
      gsize len = 0;
      g_autofree guchar *decoded = NULL;

      g_match_info_fetch_pos (match, 0, &start, &end);
      if (bytes != NULL && g_ascii_strcasecmp (charset, this_charset) == 0)
        {
          joins = TRUE;
          for (const char *p = run_end; p < text + start; p++)
            joins = joins && g_ascii_isspace (*p);
        }

      if (!joins)
        {
          if (bytes != NULL)
            {
              g_autofree char *encoded = g_base64_encode (bytes->data, bytes->len);

              g_string_append_printf (out, "=?%s?B?%s?=", charset, encoded);
              g_clear_pointer (&bytes, g_byte_array_unref);
            }
          g_string_append_len (out, copied, text + start - copied);
          g_free (charset);
          charset = g_strdup (this_charset);
          bytes = g_byte_array_new ();
        }

      decoded = g_base64_decode (payload, &len);
      g_byte_array_append (bytes, decoded, len);
      run_end = text + end;
      copied = text + end;
      g_match_info_next (match, NULL);
    }

  if (bytes != NULL)
    {
      g_autofree char *encoded = g_base64_encode (bytes->data, bytes->len);

      g_string_append_printf (out, "=?%s?B?%s?=", charset, encoded);
    }
  g_string_append (out, copied);

  return g_string_free (out, FALSE);
}

/* @raw unfolded, as UTF-8 text (with the charset fallbacks), but encoded-words not yet
 * decoded: what GMime's structured-header parsers take. */
static char *
header_to_utf8 (const char *raw,
                gssize      len,
                const char *charset)
{
  g_autofree char *unfolded = NULL;
  g_autofree char *merged = NULL;
  gsize n;

  if (raw == NULL)
    return g_strdup ("");

  n = len < 0 ? strlen (raw) : (gsize) len;
  unfolded = unfold (raw, n);
  merged = merge_base64_words (unfolded);

  return mail_mime_text_to_utf8 (merged, strlen (merged), charset);
}

/**
 * mail_mime_decode_text:
 * @raw: (nullable): an unstructured header value as sent (Subject), possibly with 8-bit
 *   bytes and encoded-words
 * @len: the length of @raw, or -1 when it ends with a NUL byte
 * @charset: (nullable): the charset the message declares, tried for 8-bit bytes that are
 *   not UTF-8
 *
 * Returns: (transfer full): the decoded value, on one line, as valid UTF-8
 */
char *
mail_mime_decode_text (const char *raw,
                       gssize      len,
                       const char *charset)
{
  g_autofree char *utf8 = header_to_utf8 (raw, len, charset);
  g_autofree char *decoded = g_mime_utils_header_decode_text (_mail_mime_parser_options (), utf8);

  return mail_mime_text_sanitize_line (decoded != NULL ? decoded : utf8, MAIL_MIME_LINE_MAX);
}

static void
add_addresses (GPtrArray           *out,
               InternetAddressList *list,
               guint                depth)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n && out->len < MAIL_MIME_MAX_ADDRESSES; i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (ia))
        {
          if (depth < 4)
            add_addresses (out, internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia)),
                           depth + 1);
        }
      else if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        {
          g_autofree char *name = NULL;
          g_autofree char *address = NULL;

          name = mail_mime_text_sanitize_line (internet_address_get_name (ia), MAIL_MIME_LINE_MAX);
          address = mail_mime_text_sanitize_line (
            internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)), 512);
          if (*name == '\0' && *address == '\0')
            continue;
          g_ptr_array_add (out, mail_mime_address_new (name, address));
        }
    }
}

/**
 * mail_mime_parse_addresses:
 * @raw: (nullable): an address header value as sent (From, To, Cc)
 * @charset: (nullable): the charset the message declares, for 8-bit names
 *
 * Reads the mailboxes of an address list, groups flattened (at most
 * 500). Text that holds no address at all is kept as a name without an address, so that
 * "From: Some Service" is still shown.
 *
 * Returns: (transfer full) (element-type MailMimeAddress): the mailboxes
 */
GPtrArray *
mail_mime_parse_addresses (const char *raw,
                           const char *charset)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_mime_address_free);
  g_autofree char *utf8 = header_to_utf8 (raw, -1, charset);
  InternetAddressList *list;

  if (*utf8 == '\0')
    return out;

  list = internet_address_list_parse (_mail_mime_parser_options (), utf8);
  add_addresses (out, list, 0);
  g_clear_object (&list);

  if (out->len == 0 && strchr (utf8, ':') == NULL)
    {
      g_autofree char *name = mail_mime_decode_text (utf8, -1, NULL);

      if (*name != '\0')
        g_ptr_array_add (out, mail_mime_address_new (name, ""));
    }

  return out;
}

/**
 * mail_mime_format_addresses:
 * @addresses: (element-type MailMimeAddress): mailboxes
 *
 * Returns: (transfer full): the mailboxes as one line, "Name <address>, address"
 */
char *
mail_mime_format_addresses (GPtrArray *addresses)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    {
      MailMimeAddress *address = g_ptr_array_index (addresses, i);

      if (out->len > 0)
        g_string_append (out, ", ");
      if (address->name != NULL && *address->address != '\0')
        g_string_append_printf (out, "%s <%s>", address->name, address->address);
      else if (address->name != NULL)
        g_string_append (out, address->name);
      else
        g_string_append (out, address->address);
    }

  return g_string_free (out, FALSE);
}

/**
 * mail_mime_summary_format_recipients:
 * @summary: a summary
 *
 * Returns: (transfer full): the To and Cc recipients as one line
 */
char *
mail_mime_summary_format_recipients (const MailMimeSummary *summary)
{
  g_autofree char *to = mail_mime_format_addresses (summary->to);
  g_autofree char *cc = mail_mime_format_addresses (summary->cc);

  if (*cc == '\0')
    return g_steal_pointer (&to);
  if (*to == '\0')
    return g_steal_pointer (&cc);

  return g_strconcat (to, ", ", cc, NULL);
}

/**
 * mail_mime_parse_date:
 * @raw: (nullable): a Date header value as sent
 * @date: (out): the date in seconds since the epoch, when it could be read
 *
 * Returns: %TRUE when @raw holds a date that could be read
 */
gboolean
mail_mime_parse_date (const char *raw,
                      gint64     *date)
{
  g_autofree char *unfolded = NULL;
  g_autoptr (GDateTime) parsed = NULL;

  if (raw == NULL)
    return FALSE;

  mail_mime_init ();
  unfolded = unfold (raw, strlen (raw));
  parsed = g_mime_utils_header_decode_date (unfolded);
  if (parsed == NULL)
    return FALSE;

  *date = g_date_time_to_unix (parsed);
  return TRUE;
}

/* A Message-ID fit to store and compare: one line, no angle brackets, bounded. */
static char *
clean_message_id (const char *id)
{
  g_autofree char *line = NULL;

  if (id == NULL)
    return NULL;

  line = mail_mime_text_sanitize_line (id, 998);
  if (*line == '\0')
    return NULL;

  return g_steal_pointer (&line);
}

/**
 * mail_mime_parse_message_id:
 * @raw: (nullable): a Message-ID header value as sent
 *
 * Returns: (transfer full) (nullable): the Message-ID without angle brackets, or %NULL
 *   when there is none
 */
char *
mail_mime_parse_message_id (const char *raw)
{
  g_autofree char *utf8 = NULL;
  g_autofree char *id = NULL;

  if (raw == NULL)
    return NULL;

  mail_mime_init ();
  utf8 = header_to_utf8 (raw, -1, NULL);
  id = g_mime_utils_decode_message_id (utf8);

  return clean_message_id (id);
}

/**
 * mail_mime_parse_references:
 * @raw: (nullable): a References or In-Reply-To header value as sent
 *
 * Returns: (transfer full): the Message-IDs, oldest first, at most the last
 *   %MAIL_MIME_MAX_REFERENCES; never %NULL
 */
GStrv
mail_mime_parse_references (const char *raw)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *utf8 = NULL;
  GMimeReferences *refs;
  int n;

  if (raw == NULL)
    return g_strv_builder_end (builder);

  utf8 = header_to_utf8 (raw, -1, NULL);
  refs = g_mime_references_parse (_mail_mime_parser_options (), utf8);
  n = refs != NULL ? g_mime_references_length (refs) : 0;

  for (int i = MAX (0, n - MAIL_MIME_MAX_REFERENCES); i < n; i++)
    {
      g_autofree char *id = clean_message_id (g_mime_references_get_message_id (refs, i));

      if (id != NULL)
        g_strv_builder_add (builder, id);
    }

  if (refs != NULL)
    g_mime_references_free (refs);

  return g_strv_builder_end (builder);
}

static const char *
raw_header (GMimeHeaderList *headers,
            const char      *name)
{
  GMimeHeader *header = g_mime_header_list_get_header (headers, name);

  return header != NULL ? g_mime_header_get_raw_value (header) : NULL;
}

/* Reads the header fields of a message (or of a header block parsed as one). */
void
_mail_mime_summarize_headers (GMimeObject     *object,
                              MailMimeSummary *summary,
                              gint64           fallback_date)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (object);
  GMimeObject *body =
    GMIME_IS_MESSAGE (object) ? g_mime_message_get_mime_part (GMIME_MESSAGE (object)) : object;
  GMimeContentType *type = body != NULL ? g_mime_object_get_content_type (body) : NULL;
  const char *charset = type != NULL ? g_mime_content_type_get_parameter (type, "charset") : NULL;
  const char *value;
  g_autoptr (GPtrArray) from = NULL;
  gint64 date;

  if (charset != NULL)
    summary->charset = mail_mime_text_sanitize_line (charset, 64);

  from = mail_mime_parse_addresses (raw_header (headers, "From"), summary->charset);
  if (from->len == 0)
    {
      g_clear_pointer (&from, g_ptr_array_unref);
      from = mail_mime_parse_addresses (raw_header (headers, "Sender"), summary->charset);
    }
  if (from->len > 0)
    summary->from = g_ptr_array_steal_index (from, 0);

  g_ptr_array_unref (summary->to);
  summary->to = mail_mime_parse_addresses (raw_header (headers, "To"), summary->charset);
  g_ptr_array_unref (summary->cc);
  summary->cc = mail_mime_parse_addresses (raw_header (headers, "Cc"), summary->charset);

  value = raw_header (headers, "Subject");
  if (value != NULL)
    {
      g_free (summary->subject);
      summary->subject = mail_mime_decode_text (value, -1, summary->charset);
    }

  if (mail_mime_parse_date (raw_header (headers, "Date"), &date))
    {
      summary->date = date;
      summary->date_from_header = TRUE;
    }
  else
    summary->date = fallback_date;

  summary->message_id = mail_mime_parse_message_id (raw_header (headers, "Message-ID"));

  value = raw_header (headers, "In-Reply-To");
  if (value != NULL)
    {
      g_auto (GStrv) ids = mail_mime_parse_references (value);

      if (ids[0] != NULL)
        summary->in_reply_to = g_strdup (ids[0]);
    }

  g_strfreev (summary->references);
  summary->references = mail_mime_parse_references (raw_header (headers, "References"));

  /* Until the body is known, a multipart/mixed message is taken to have attachments,
   * as most clients show it. */
  summary->has_attachments = type != NULL && g_mime_content_type_is_type (type, "multipart", "mixed");
}

static MailMimeSummary *
summarize (GMimeStream *stream,
           gint64       fallback_date,
           gboolean     with_body)
{
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) message = NULL;
  MailMimeSummary *summary = summary_new (fallback_date);

  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_persist_stream (parser, TRUE);
  message = g_mime_parser_construct_message (parser, _mail_mime_parser_options ());

  if (message == NULL)
    {
      /* Not even a header could be read: what there is is kept as text. */
      if (with_body)
        _mail_mime_summarize_raw_text (stream, summary);
      return summary;
    }

  _mail_mime_summarize_headers (GMIME_OBJECT (message), summary, fallback_date);
  if (with_body)
    _mail_mime_summarize_body (message, summary);

  return summary;
}

/**
 * mail_mime_parse_file:
 * @path: a file holding one raw RFC 5322 message
 * @fallback_date: the date to use when the message has no readable Date header (the
 *   server's internal date), in seconds since the epoch
 * @error: the error when the file cannot be read
 *
 * Parses a message in a file, its content left on disk while it is read: memory stays
 * small whatever the size of the message.
 *
 * Returns: (transfer full): the summary, with the preview and the search text; %NULL
 *   only when the file could not be opened
 */
MailMimeSummary *
mail_mime_parse_file (const char  *path,
                      gint64       fallback_date,
                      GError     **error)
{
  g_autoptr (GMimeStream) stream = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  mail_mime_init ();

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not open the message %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }

  stream = g_mime_stream_fs_new (fd);

  return summarize (stream, fallback_date, TRUE);
}

/**
 * mail_mime_parse_data:
 * @data: a raw RFC 5322 message
 * @len: the length of @data
 * @fallback_date: the date to use when the message has no readable Date header
 *
 * Parses a message held in memory (a small one; large ones are parsed from their file).
 *
 * Returns: (transfer full): the summary, with the preview and the search text
 */
MailMimeSummary *
mail_mime_parse_data (const char *data,
                      gsize       len,
                      gint64      fallback_date)
{
  g_autoptr (GMimeStream) stream = NULL;

  mail_mime_init ();
  stream = g_mime_stream_mem_new_with_buffer (data != NULL ? data : "", data != NULL ? len : 0);

  return summarize (stream, fallback_date, TRUE);
}

/**
 * mail_mime_parse_stream:
 * @stream: a raw RFC 5322 message
 * @fallback_date: the date to use when the message has no readable Date header
 * @cancellable: (nullable): cancels reading
 * @error: the error when @stream cannot be read
 *
 * Parses a message from a stream, reading it to its end. A message larger than 1 MiB is
 * copied to an unlinked temporary file first, so that it never sits in memory whole.
 * Blocks: call it on a worker thread.
 *
 * Returns: (transfer full): the summary, with the preview and the search text; %NULL
 *   when @stream could not be read
 */
MailMimeSummary *
mail_mime_parse_stream (GInputStream  *stream,
                        gint64         fallback_date,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *head = g_malloc (SPOOL_THRESHOLD);
  g_autofree char *path = NULL;
  g_autoptr (GMimeStream) spool = NULL;
  gsize n_read = 0;
  int fd;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  mail_mime_init ();

  if (!g_input_stream_read_all (stream, head, SPOOL_THRESHOLD, &n_read, cancellable, error))
    return NULL;
  if (n_read < SPOOL_THRESHOLD)
    return mail_mime_parse_data (head, n_read, fallback_date);

  fd = g_file_open_tmp ("mail-mime-XXXXXX", &path, error);
  if (fd < 0)
    return NULL;
  g_unlink (path);
  spool = g_mime_stream_fs_new (fd);

  do
    {
      if (g_mime_stream_write (spool, head, n_read) != (gssize) n_read)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "Could not write a temporary copy of the message: %s", g_strerror (errno));
          return NULL;
        }
      if (!g_input_stream_read_all (stream, head, SPOOL_THRESHOLD, &n_read, cancellable, error))
        return NULL;
    }
  while (n_read > 0);

  g_mime_stream_seek (spool, 0, GMIME_STREAM_SEEK_SET);

  return summarize (spool, fallback_date, TRUE);
}

/**
 * mail_mime_parse_headers:
 * @data: a message's raw header block (BODY.PEEK[HEADER] or HEADER.FIELDS), with or
 *   without the empty line that ends it
 * @len: the length of @data
 * @fallback_date: the date to use when there is no readable Date header
 *
 * Parses the header of a message whose body is not here: the summary has no preview and
 * no search text, and @has_attachments is a guess from the Content-Type, if it was
 * fetched.
 *
 * Returns: (transfer full): the summary
 */
MailMimeSummary *
mail_mime_parse_headers (const char *data,
                         gsize       len,
                         gint64      fallback_date)
{
  g_autoptr (GByteArray) copy = g_byte_array_sized_new (len + 3);
  g_autoptr (GMimeStream) stream = NULL;

  mail_mime_init ();

  if (data != NULL)
    g_byte_array_append (copy, (const guint8 *) data, len);
  if (copy->len == 0 || copy->data[copy->len - 1] != '\n')
    g_byte_array_append (copy, (const guint8 *) "\r\n", 2);

  stream = g_mime_stream_mem_new_with_buffer ((const char *) copy->data, copy->len);

  return summarize (stream, fallback_date, FALSE);
}
