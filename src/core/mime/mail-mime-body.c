/* mail-mime-body.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The body of a parsed message: its text for the preview and the search index, and
 * whether it has attachments.
 *
 * The walk is bounded (depth, number of parts, bytes read per part, bytes of text kept)
 * so that no message, however nested or large, costs more than a few megabytes or a few
 * milliseconds more than reading it. Each text part is read through a decoding filter
 * from the parser's stream, which for a file is the file itself.
 */

#include "config.h"

#include <string.h>

#include "mail-mime-private.h"

typedef struct
{
  MailMimeSummary *summary;
  GString         *text;
  guint            n_parts;
} Walk;

/* The decoded content of a leaf part, at most @max bytes of it. */
static GByteArray *
read_content (GMimePart *part,
              gsize      max)
{
  GByteArray *content = g_byte_array_new ();
  GMimeDataWrapper *wrapper = g_mime_part_get_content (part);
  GMimeStream *raw;
  g_autoptr (GMimeStream) filtered = NULL;
  GMimeContentEncoding encoding;
  char buf[16384];
  gssize n;

  if (wrapper == NULL || (raw = g_mime_data_wrapper_get_stream (wrapper)) == NULL)
    return content;

  encoding = g_mime_data_wrapper_get_encoding (wrapper);
  g_mime_stream_reset (raw);
  filtered = g_mime_stream_filter_new (raw);
  if (encoding == GMIME_CONTENT_ENCODING_BASE64 ||
      encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
      encoding == GMIME_CONTENT_ENCODING_UUENCODE)
    {
      g_autoptr (GMimeFilter) decoder = g_mime_filter_basic_new (encoding, FALSE);

      g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), decoder);
    }

  while (content->len < max &&
         (n = g_mime_stream_read (filtered, buf, MIN (sizeof buf, max - content->len))) > 0)
    g_byte_array_append (content, (const guint8 *) buf, (guint) n);

  return content;
}

static void
add_text (Walk      *walk,
          GMimePart *part,
          gboolean   html)
{
  g_autoptr (GByteArray) content = NULL;
  g_autofree char *utf8 = NULL;
  const char *charset;

  if (walk->text->len >= MAIL_MIME_BODY_TEXT_MAX)
    {
      walk->summary->body_truncated = TRUE;
      return;
    }

  content = read_content (part, MAIL_MIME_PART_READ_MAX);
  charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
  utf8 = mail_mime_text_to_utf8 ((const char *) content->data, content->len, charset);

  if (html)
    {
      g_autofree char *text = mail_mime_text_from_html (utf8, strlen (utf8),
                                                        MAIL_MIME_BODY_TEXT_MAX);

      mail_mime_text_append_body (walk->text, text, strlen (text), MAIL_MIME_BODY_TEXT_MAX);
    }
  else
    mail_mime_text_append_body (walk->text, utf8, strlen (utf8), MAIL_MIME_BODY_TEXT_MAX);

  if (walk->text->len >= MAIL_MIME_BODY_TEXT_MAX || content->len >= MAIL_MIME_PART_READ_MAX)
    walk->summary->body_truncated = TRUE;
}

static gboolean
is_signature (GMimeContentType *type)
{
  return g_mime_content_type_is_type (type, "application", "pgp-signature") ||
         g_mime_content_type_is_type (type, "application", "pkcs7-signature") ||
         g_mime_content_type_is_type (type, "application", "x-pkcs7-signature");
}

static void
walk_leaf (Walk      *walk,
           GMimePart *part,
           gboolean   want_text,
           gboolean   in_related)
{
  GMimeObject *object = GMIME_OBJECT (part);
  GMimeContentType *type = g_mime_object_get_content_type (object);
  GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (object);
  gboolean attachment = disposition != NULL && g_mime_content_disposition_is_attachment (disposition);
  gboolean inline_ = disposition != NULL && !attachment;
  const char *filename = g_mime_part_get_filename (part);
  gboolean plain = g_mime_content_type_is_type (type, "text", "plain");
  gboolean html = g_mime_content_type_is_type (type, "text", "html");

  if (attachment)
    {
      walk->summary->has_attachments = TRUE;
      return;
    }

  if (plain || html)
    {
      /* A named text part is a file the sender attached, unless it is marked inline. */
      if (filename != NULL && !inline_)
        walk->summary->has_attachments = TRUE;
      else if (want_text)
        add_text (walk, part, html);
      return;
    }

  if (is_signature (type))
    return;

  /* Other text (calendar, vCard) is an attachment when it has a name; any other leaf
   * is one unless it is an image of an HTML body (multipart/related). */
  if (g_mime_content_type_is_type (type, "text", "*"))
    {
      if (filename != NULL)
        walk->summary->has_attachments = TRUE;
      return;
    }

  if (!in_related)
    walk->summary->has_attachments = TRUE;
}

/* The part of a multipart/alternative whose text is kept: text/plain first (it is what the
 * sender wrote, without markup), else HTML, else a multipart holding either. */
static GMimeObject *
choose_alternative (GMimeMultipart *multipart)
{
  GMimeObject *html = NULL;
  GMimeObject *nested = NULL;
  int n = g_mime_multipart_get_count (multipart);

  for (int i = 0; i < n; i++)
    {
      GMimeObject *child = g_mime_multipart_get_part (multipart, i);
      GMimeContentType *type = g_mime_object_get_content_type (child);

      if (GMIME_IS_PART (child) && g_mime_content_type_is_type (type, "text", "plain"))
        return child;
      if (html == NULL && GMIME_IS_PART (child) && g_mime_content_type_is_type (type, "text", "html"))
        html = child;
      if (nested == NULL && GMIME_IS_MULTIPART (child))
        nested = child;
    }

  return html != NULL ? html : nested;
}

static void
walk_object (Walk        *walk,
             GMimeObject *object,
             guint        depth,
             gboolean     want_text,
             gboolean     in_related)
{
  if (depth > MAIL_MIME_MAX_DEPTH || walk->n_parts >= MAIL_MIME_MAX_PARTS)
    return;
  walk->n_parts++;

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      GMimeContentType *type = g_mime_object_get_content_type (object);
      int n = g_mime_multipart_get_count (multipart);

      if (GMIME_IS_MULTIPART_ENCRYPTED (object))
        return;

      if (GMIME_IS_MULTIPART_SIGNED (object) || g_mime_content_type_is_type (type, "multipart", "signed"))
        {
          /* The signed content; the signature is no attachment. */
          if (n > 0)
            walk_object (walk, g_mime_multipart_get_part (multipart, 0), depth + 1, want_text,
                         in_related);
          return;
        }

      if (g_mime_content_type_is_type (type, "multipart", "alternative"))
        {
          GMimeObject *chosen = choose_alternative (multipart);

          for (int i = 0; i < n; i++)
            {
              GMimeObject *child = g_mime_multipart_get_part (multipart, i);

              walk_object (walk, child, depth + 1, want_text && child == chosen, in_related);
            }
          return;
        }

      in_related = in_related || g_mime_content_type_is_type (type, "multipart", "related");
      for (int i = 0; i < n; i++)
        walk_object (walk, g_mime_multipart_get_part (multipart, i), depth + 1, want_text,
                     in_related);
      return;
    }

  if (GMIME_IS_MESSAGE_PART (object))
    {
      /* A forwarded message is an attachment; its text is not this message's. */
      walk->summary->has_attachments = TRUE;
      return;
    }

  if (GMIME_IS_PART (object))
    walk_leaf (walk, GMIME_PART (object), want_text, in_related);
}

static void
finish (Walk *walk)
{
  MailMimeSummary *summary = walk->summary;

  summary->preview = mail_mime_text_preview (walk->text->str, MAIL_MIME_PREVIEW_CHARS);
  summary->body_text = g_string_free (walk->text, FALSE);
  walk->text = NULL;
}

/* Fills the preview, the search text and the attachment flag of @summary from the body
 * of @message. */
void
_mail_mime_summarize_body (GMimeMessage    *message,
                           MailMimeSummary *summary)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);
  Walk walk = { summary, g_string_new (NULL), 0 };

  summary->has_attachments = FALSE;
  if (body != NULL)
    walk_object (&walk, body, 0, TRUE, FALSE);

  finish (&walk);
}

/* What GMime could not read as a message at all is kept as its text. */
void
_mail_mime_summarize_raw_text (GMimeStream     *stream,
                               MailMimeSummary *summary)
{
  Walk walk = { summary, g_string_new (NULL), 0 };
  g_autoptr (GByteArray) content = g_byte_array_new ();
  g_autofree char *utf8 = NULL;
  char buf[16384];
  gssize n;

  g_mime_stream_reset (stream);
  while (content->len < MAIL_MIME_PART_READ_MAX &&
         (n = g_mime_stream_read (stream, buf, MIN (sizeof buf, MAIL_MIME_PART_READ_MAX - content->len))) > 0)
    g_byte_array_append (content, (const guint8 *) buf, (guint) n);

  utf8 = mail_mime_text_to_utf8 ((const char *) content->data, content->len, NULL);
  mail_mime_text_append_body (walk.text, utf8, strlen (utf8), MAIL_MIME_BODY_TEXT_MAX);
  finish (&walk);
}
