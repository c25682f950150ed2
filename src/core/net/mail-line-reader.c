/* mail-line-reader.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A buffered reader for line-based mail protocols, with hard limits.
 *
 * One buffer (64 KiB to start) is filled with large reads and scanned with memchr(); a
 * line is only ever searched once, however many reads it takes to arrive. The buffer
 * grows only while a single line does not fit, and never beyond the longest line
 * allowed, so nothing the server sends can make it allocate without bound:
 *
 *  - a line (CRLF or bare LF) longer than max-line-length fails with MAIL_NET_ERROR_LIMIT
 *    as soon as that many bytes have arrived without a newline;
 *  - a counted block (an IMAP literal, a POP3 or SMTP body read by size) larger than
 *    max-literal-size fails before anything is allocated;
 *  - between begin_response() and end_response(), the bytes read add up and fail beyond
 *    max-response-size.
 *
 * Incremental parsers use peek()/consume()/fill_sync() instead of lines. Any error
 * leaves the reader failed: the protocol state is unknown, and the only safe thing left is
 * to close the connection.
 *
 * A reader belongs to one thread at a time, like the connection that owns it.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-line-reader.h"
#include "mail-net-error.h"

/* Below this, the rest of a block is read through the buffer (which may bring the next
 * lines along in the same read) rather than straight into the block. */
#define DIRECT_READ_THRESHOLD (16 * 1024)

struct _MailLineReader
{
  GObject       parent_instance;

  GInputStream *stream;

  guint8       *buffer;
  gsize         allocated;
  gsize         initial_size;
  gsize         start;
  gsize         end;
  /* Bytes after start already known to hold no newline. */
  gsize         scanned;

  gsize         max_line_length;
  gsize         max_literal_size;
  guint64       max_response_size;
  guint64       response_size;

  guint         in_response : 1;
  guint         eof : 1;
  guint         failed : 1;
};

G_DEFINE_FINAL_TYPE (MailLineReader, mail_line_reader, G_TYPE_OBJECT)

static void
mail_line_reader_finalize (GObject *object)
{
  MailLineReader *self = (MailLineReader *) object;

  g_clear_object (&self->stream);
  g_clear_pointer (&self->buffer, g_free);

  G_OBJECT_CLASS (mail_line_reader_parent_class)->finalize (object);
}

static void
mail_line_reader_class_init (MailLineReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_line_reader_finalize;
}

static void
mail_line_reader_init (MailLineReader *self)
{
  self->max_line_length = MAIL_LINE_READER_DEFAULT_MAX_LINE_LENGTH;
  self->max_literal_size = MAIL_LINE_READER_DEFAULT_MAX_LITERAL_SIZE;
  self->max_response_size = MAIL_LINE_READER_DEFAULT_MAX_RESPONSE_SIZE;
}

/**
 * mail_line_reader_new:
 * @stream: the stream to read from
 * @buffer_size: the size of the buffer, or 0 for
 *   %MAIL_LINE_READER_DEFAULT_BUFFER_SIZE
 *
 * Returns: (transfer full): a new reader
 */
MailLineReader *
mail_line_reader_new (GInputStream *stream,
                      gsize         buffer_size)
{
  MailLineReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (MAIL_TYPE_LINE_READER, NULL);
  self->stream = g_object_ref (stream);
  self->initial_size = buffer_size > 0 ? buffer_size : MAIL_LINE_READER_DEFAULT_BUFFER_SIZE;
  self->allocated = self->initial_size;
  self->buffer = g_malloc (self->allocated);

  return self;
}

/**
 * mail_line_reader_get_stream:
 * @self: a #MailLineReader
 *
 * Returns: (transfer none): the stream being read
 */
GInputStream *
mail_line_reader_get_stream (MailLineReader *self)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), NULL);

  return self->stream;
}

/**
 * mail_line_reader_set_stream:
 * @self: a #MailLineReader
 * @stream: the stream to read from now on
 * @error: return location for a #GError
 *
 * Switches to another stream, as after STARTTLS. This fails when any byte of the old
 * stream is still buffered: after a STARTTLS reply nothing may follow in plaintext, and
 * bytes that did would otherwise be taken as coming over TLS (response injection).
 *
 * Returns: %TRUE on success; %FALSE with %MAIL_NET_ERROR_STARTTLS_INJECTION if bytes were
 *   buffered (the reader is then failed)
 */
gboolean
mail_line_reader_set_stream (MailLineReader  *self,
                             GInputStream    *stream,
                             GError         **error)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);

  if (self->end > self->start)
    {
      self->failed = TRUE;
      mail_net_error_set_starttls_unavailable (error, MAIL_NET_ERROR_STARTTLS_INJECTION);
      return FALSE;
    }

  g_set_object (&self->stream, stream);
  self->start = self->end = self->scanned = 0;
  self->eof = FALSE;

  return TRUE;
}

/**
 * mail_line_reader_set_max_line_length:
 * @self: a #MailLineReader
 * @max_line_length: the longest line allowed, terminator included
 */
void
mail_line_reader_set_max_line_length (MailLineReader *self,
                                      gsize           max_line_length)
{
  g_return_if_fail (MAIL_IS_LINE_READER (self));
  g_return_if_fail (max_line_length >= 2);

  self->max_line_length = max_line_length;
}

/**
 * mail_line_reader_get_max_line_length:
 * @self: a #MailLineReader
 *
 * Returns: the longest line allowed, terminator included
 */
gsize
mail_line_reader_get_max_line_length (MailLineReader *self)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), 0);

  return self->max_line_length;
}

/**
 * mail_line_reader_set_max_literal_size:
 * @self: a #MailLineReader
 * @max_literal_size: the largest block mail_line_reader_read_bytes_sync() and
 *   mail_line_reader_read_to_stream_sync() accept
 */
void
mail_line_reader_set_max_literal_size (MailLineReader *self,
                                       gsize           max_literal_size)
{
  g_return_if_fail (MAIL_IS_LINE_READER (self));

  self->max_literal_size = max_literal_size;
}

/**
 * mail_line_reader_get_max_literal_size:
 * @self: a #MailLineReader
 *
 * Returns: the largest block that may be read
 */
gsize
mail_line_reader_get_max_literal_size (MailLineReader *self)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), 0);

  return self->max_literal_size;
}

/**
 * mail_line_reader_set_max_response_size:
 * @self: a #MailLineReader
 * @max_response_size: the most bytes one response may have, or 0 for no limit
 */
void
mail_line_reader_set_max_response_size (MailLineReader *self,
                                        guint64         max_response_size)
{
  g_return_if_fail (MAIL_IS_LINE_READER (self));

  self->max_response_size = max_response_size;
}

/**
 * mail_line_reader_get_max_response_size:
 * @self: a #MailLineReader
 *
 * Returns: the most bytes one response may have, 0 for no limit
 */
guint64
mail_line_reader_get_max_response_size (MailLineReader *self)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), 0);

  return self->max_response_size;
}

/**
 * mail_line_reader_begin_response:
 * @self: a #MailLineReader
 *
 * Starts counting the bytes of one response (everything read or consumed from now on)
 * against the max-response-size limit. Bytes read outside a response are not counted.
 */
void
mail_line_reader_begin_response (MailLineReader *self)
{
  g_return_if_fail (MAIL_IS_LINE_READER (self));

  self->in_response = TRUE;
  self->response_size = 0;
}

/**
 * mail_line_reader_end_response:
 * @self: a #MailLineReader
 *
 * Stops counting bytes against the max-response-size limit.
 */
void
mail_line_reader_end_response (MailLineReader *self)
{
  g_return_if_fail (MAIL_IS_LINE_READER (self));

  self->in_response = FALSE;
}

/**
 * mail_line_reader_get_response_size:
 * @self: a #MailLineReader
 *
 * Returns: the bytes read since mail_line_reader_begin_response()
 */
guint64
mail_line_reader_get_response_size (MailLineReader *self)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), 0);

  return self->response_size;
}

static gboolean
check_usable (MailLineReader  *self,
              GError         **error)
{
  if (self->failed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The connection can no longer be used after an earlier error."));
      return FALSE;
    }

  return TRUE;
}

static gboolean fail_limit (MailLineReader  *self,
                            GError         **error,
                            const char      *format,
                            ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail_limit (MailLineReader  *self,
            GError         **error,
            const char      *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  self->failed = TRUE;
  g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT, message);
  return FALSE;
}

static gboolean
account (MailLineReader  *self,
         gsize            count,
         GError         **error)
{
  if (!self->in_response)
    return TRUE;

  self->response_size += count;
  if (self->max_response_size > 0 && self->response_size > self->max_response_size)
    return fail_limit (self, error,
                       _("The server sent a response larger than the limit of %" G_GUINT64_FORMAT
                         " bytes."),
                       self->max_response_size);

  return TRUE;
}

static gsize
buffer_cap (MailLineReader *self)
{
  return MAX (self->initial_size, self->max_line_length);
}

/* Makes room after end: first by moving the unread bytes to the front, then, if allowed,
 * by growing the buffer up to buffer_cap(). Returns the free space. */
static gsize
make_room (MailLineReader *self,
           gboolean        allow_grow)
{
  if (self->start == self->end)
    self->start = self->end = 0;

  if (self->end < self->allocated)
    return self->allocated - self->end;

  if (self->start > 0)
    {
      memmove (self->buffer, self->buffer + self->start, self->end - self->start);
      self->end -= self->start;
      self->start = 0;
      return self->allocated - self->end;
    }

  if (allow_grow && self->allocated < buffer_cap (self))
    {
      self->allocated = MIN (self->allocated * 2, buffer_cap (self));
      self->buffer = g_realloc (self->buffer, self->allocated);
    }

  return self->allocated - self->end;
}

static gssize
fill_once (MailLineReader  *self,
           gboolean         allow_grow,
           GCancellable    *cancellable,
           GError         **error)
{
  gsize room = make_room (self, allow_grow);
  gssize n;

  g_assert (room > 0);

  n = g_input_stream_read (self->stream, self->buffer + self->end, room, cancellable, error);
  if (n < 0)
    {
      self->failed = TRUE;
      return -1;
    }

  if (n == 0)
    self->eof = TRUE;

  self->end += n;

  return n;
}

static gboolean
fail_closed (MailLineReader  *self,
             GError         **error,
             const char      *message)
{
  self->failed = TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, message);
  return FALSE;
}

static const guint8 *
find_newline (MailLineReader *self)
{
  gsize available = self->end - self->start;
  const guint8 *newline;

  if (self->scanned >= available)
    return NULL;

  newline = memchr (self->buffer + self->start + self->scanned, '\n',
                    available - self->scanned);
  if (newline == NULL)
    self->scanned = available;

  return newline;
}

/**
 * mail_line_reader_has_line:
 * @self: a #MailLineReader
 *
 * Returns: whether mail_line_reader_read_line_sync() would return at once, without
 *   reading from the stream: a whole line is buffered (or the reader would fail at once)
 */
gboolean
mail_line_reader_has_line (MailLineReader *self)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), FALSE);

  return self->failed || find_newline (self) != NULL
         || self->end - self->start >= self->max_line_length;
}

/**
 * mail_line_reader_read_line_sync:
 * @self: a #MailLineReader
 * @length: (out) (optional): the length of the line
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one line ending in CRLF or a bare LF.
 *
 * Returns: (transfer full) (nullable): the line without its terminator, NUL-terminated
 *   (it may contain NUL bytes: use @length), or %NULL with @error set:
 *   %MAIL_NET_ERROR_LIMIT for a line over the limit, %G_IO_ERROR_CONNECTION_CLOSED at the
 *   end of the stream
 */
char *
mail_line_reader_read_line_sync (MailLineReader  *self,
                                 gsize           *length,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), NULL);

  if (!check_usable (self, error))
    return NULL;

  for (;;)
    {
      const guint8 *newline = find_newline (self);
      gsize available = self->end - self->start;

      if (newline != NULL)
        {
          const guint8 *line = self->buffer + self->start;
          gsize total = (gsize) (newline - line) + 1;
          gsize len = total - 1;
          char *copy;

          if (total > self->max_line_length)
            {
              fail_limit (self, error,
                          _("The server sent a line longer than the limit of %" G_GUINT64_FORMAT
                            " bytes."),
                          (guint64) self->max_line_length);
              return NULL;
            }

          if (!account (self, total, error))
            return NULL;

          if (len > 0 && line[len - 1] == '\r')
            len--;

          copy = g_malloc (len + 1);
          memcpy (copy, line, len);
          copy[len] = '\0';

          self->start += total;
          self->scanned = 0;

          if (length != NULL)
            *length = len;

          return copy;
        }

      if (available >= self->max_line_length)
        {
          fail_limit (self, error,
                      _("The server sent a line longer than the limit of %" G_GUINT64_FORMAT
                        " bytes."),
                      (guint64) self->max_line_length);
          return NULL;
        }

      if (self->eof)
        {
          fail_closed (self, error,
                       available == 0 ? _("The connection was closed.")
                                      : _("The connection was closed in the middle of a line."));
          return NULL;
        }

      if (fill_once (self, TRUE, cancellable, error) < 0)
        return NULL;
    }
}

static gboolean
check_block (MailLineReader  *self,
             gsize            count,
             GError         **error)
{
  if (!check_usable (self, error))
    return FALSE;

  if (count > self->max_literal_size)
    return fail_limit (self, error,
                       _("The server announced a block of data larger than the limit of %"
                         G_GUINT64_FORMAT " bytes."),
                       (guint64) self->max_literal_size);

  return account (self, count, error);
}

/* Copies up to count buffered bytes to dest and returns how many. */
static gsize
take_buffered (MailLineReader *self,
               guint8         *dest,
               gsize           count)
{
  gsize n = MIN (count, self->end - self->start);

  memcpy (dest, self->buffer + self->start, n);
  self->start += n;
  self->scanned = self->scanned > n ? self->scanned - n : 0;

  return n;
}

/**
 * mail_line_reader_read_bytes_sync:
 * @self: a #MailLineReader
 * @count: how many bytes to read
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads exactly @count bytes: an IMAP literal, or any block whose size is known. A
 * @count over max-literal-size fails before any memory is allocated.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error set
 */
GBytes *
mail_line_reader_read_bytes_sync (MailLineReader  *self,
                                  gsize            count,
                                  GCancellable    *cancellable,
                                  GError         **error)
{
  guint8 *data;
  gsize done;

  g_return_val_if_fail (MAIL_IS_LINE_READER (self), NULL);

  if (!check_block (self, count, error))
    return NULL;

  data = g_try_malloc (MAX (count, 1));
  if (data == NULL)
    {
      self->failed = TRUE;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Not enough memory to read the data the server sent."));
      return NULL;
    }

  done = take_buffered (self, data, count);

  while (done < count)
    {
      gsize remaining = count - done;

      if (remaining >= DIRECT_READ_THRESHOLD)
        {
          gsize n = 0;

          if (!g_input_stream_read_all (self->stream, data + done, remaining, &n, cancellable,
                                        error))
            {
              self->failed = TRUE;
              g_free (data);
              return NULL;
            }
          done += n;
          if (n < remaining)
            self->eof = TRUE;
        }
      else
        {
          gssize n = fill_once (self, FALSE, cancellable, error);

          if (n < 0)
            {
              g_free (data);
              return NULL;
            }
          done += take_buffered (self, data + done, remaining);
        }

      if (done < count && self->eof)
        {
          g_free (data);
          fail_closed (self, error,
                       _("The connection was closed in the middle of a block of data."));
          return NULL;
        }
    }

  return g_bytes_new_take (data, count);
}

/**
 * mail_line_reader_read_to_stream_sync:
 * @self: a #MailLineReader
 * @count: how many bytes to read
 * @output: where to write them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like mail_line_reader_read_bytes_sync(), but streams the bytes to @output (a body file,
 * say) through the reader's buffer instead of holding them all in memory.
 *
 * Returns: %TRUE when all @count bytes were read and written
 */
gboolean
mail_line_reader_read_to_stream_sync (MailLineReader  *self,
                                      gsize            count,
                                      GOutputStream   *output,
                                      GCancellable    *cancellable,
                                      GError         **error)
{
  gsize done = 0;

  g_return_val_if_fail (MAIL_IS_LINE_READER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);

  if (!check_block (self, count, error))
    return FALSE;

  while (done < count)
    {
      gsize n = MIN (count - done, self->end - self->start);

      if (n == 0)
        {
          if (self->eof)
            return fail_closed (self, error,
                                _("The connection was closed in the middle of a block of data."));
          if (fill_once (self, FALSE, cancellable, error) < 0)
            return FALSE;
          continue;
        }

      if (!g_output_stream_write_all (output, self->buffer + self->start, n, NULL, cancellable,
                                      error))
        {
          self->failed = TRUE;
          return FALSE;
        }

      self->start += n;
      self->scanned = self->scanned > n ? self->scanned - n : 0;
      done += n;
    }

  return TRUE;
}

/**
 * mail_line_reader_get_available:
 * @self: a #MailLineReader
 *
 * Returns: how many bytes are buffered and not yet consumed
 */
gsize
mail_line_reader_get_available (MailLineReader *self)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), 0);

  return self->end - self->start;
}

/**
 * mail_line_reader_peek:
 * @self: a #MailLineReader
 * @available: (out): how many bytes are buffered
 *
 * The raw buffered bytes, for an incremental parser: feed them to it, then
 * mail_line_reader_consume() what it used and mail_line_reader_fill_sync() when it needs
 * more. The pointer is valid until the next call on @self.
 *
 * Returns: (array length=available) (transfer none): the buffered bytes
 */
const guint8 *
mail_line_reader_peek (MailLineReader *self,
                       gsize          *available)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), NULL);
  g_return_val_if_fail (available != NULL, NULL);

  *available = self->end - self->start;

  return self->buffer + self->start;
}

/**
 * mail_line_reader_consume:
 * @self: a #MailLineReader
 * @count: how many of the buffered bytes were used; at most
 *   mail_line_reader_get_available()
 * @error: return location for a #GError
 *
 * Drops @count bytes from the front of the buffer, counting them against the response
 * limit.
 *
 * Returns: %FALSE with %MAIL_NET_ERROR_LIMIT when the response grew over its limit
 */
gboolean
mail_line_reader_consume (MailLineReader  *self,
                          gsize            count,
                          GError         **error)
{
  g_return_val_if_fail (MAIL_IS_LINE_READER (self), FALSE);
  g_return_val_if_fail (count <= self->end - self->start, FALSE);

  if (!check_usable (self, error))
    return FALSE;

  if (!account (self, count, error))
    return FALSE;

  self->start += count;
  self->scanned = self->scanned > count ? self->scanned - count : 0;

  return TRUE;
}

/**
 * mail_line_reader_fill_sync:
 * @self: a #MailLineReader
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads more bytes into the buffer (at least one, blocking until they come), keeping
 * what is buffered. The buffer grows while needed up to the max-line-length limit: a
 * parser that consumes nothing for that long fails with %MAIL_NET_ERROR_LIMIT.
 *
 * Returns: %TRUE when bytes were added; %FALSE with %G_IO_ERROR_CONNECTION_CLOSED at the
 *   end of the stream, or another error
 */
gboolean
mail_line_reader_fill_sync (MailLineReader  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  gssize n;

  g_return_val_if_fail (MAIL_IS_LINE_READER (self), FALSE);

  if (!check_usable (self, error))
    return FALSE;

  if (self->eof)
    return fail_closed (self, error, _("The connection was closed."));

  if (make_room (self, TRUE) == 0)
    return fail_limit (self, error,
                       _("The server sent more than %" G_GUINT64_FORMAT
                         " bytes that could not be parsed."),
                       (guint64) buffer_cap (self));

  n = fill_once (self, TRUE, cancellable, error);
  if (n < 0)
    return FALSE;

  if (n == 0)
    return fail_closed (self, error, _("The connection was closed."));

  return TRUE;
}

/**
 * mail_line_reader_fill_nonblocking:
 * @self: a #MailLineReader
 * @error: return location for a #GError
 *
 * Reads whatever the stream has ready without blocking; the stream must be a
 * #GPollableInputStream. For waiting on an idle connection.
 *
 * Returns: the bytes added, or -1 with %G_IO_ERROR_WOULD_BLOCK when nothing is ready (the
 *   reader stays usable), %G_IO_ERROR_CONNECTION_CLOSED at the end of the stream, or
 *   another error
 */
gssize
mail_line_reader_fill_nonblocking (MailLineReader  *self,
                                   GError         **error)
{
  g_autoptr (GError) local_error = NULL;
  gsize room;
  gssize n;

  g_return_val_if_fail (MAIL_IS_LINE_READER (self), -1);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (self->stream), -1);

  if (!check_usable (self, error))
    return -1;

  if (self->eof)
    {
      fail_closed (self, error, _("The connection was closed."));
      return -1;
    }

  room = make_room (self, TRUE);
  if (room == 0)
    {
      fail_limit (self, error,
                  _("The server sent more than %" G_GUINT64_FORMAT
                    " bytes that could not be parsed."),
                  (guint64) buffer_cap (self));
      return -1;
    }

  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->stream),
                                                self->buffer + self->end, room, NULL,
                                                &local_error);
  if (n < 0)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        self->failed = TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  if (n == 0)
    {
      self->eof = TRUE;
      fail_closed (self, error, _("The connection was closed."));
      return -1;
    }

  self->end += n;

  return n;
}
