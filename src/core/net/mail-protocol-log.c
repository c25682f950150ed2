/* mail-protocol-log.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A bounded, redacted transcript of one connection (or one account), for bug reports
 * and a "connection log" view.
 *
 * The ring keeps the last N entries and each entry at most ENTRY_MAX_BYTES of the line,
 * so a log never grows with the traffic. Nothing secret gets in: writes marked secret
 * keep only their public prefix ("a2 LOGIN ******"), and message data is counted, not
 * copied ("[1234 bytes]"; consecutive blocks in one direction are added together).
 * Control characters and invalid UTF-8 are escaped, so a hostile server cannot play
 * games with a terminal or a text view.
 *
 * Entries can be added from the connection's thread while the UI reads the log: a mutex
 * guards the ring. With G_MESSAGES_DEBUG=mail-net each entry is also sent to g_debug().
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-protocol-log.h"

#define ENTRY_MAX_BYTES 1000

typedef struct
{
  gint64                    time;
  MailProtocolLogDirection  direction;
  /* For a body entry: NULL, and n_bytes counts the data. */
  char                     *text;
  guint64                   n_bytes;
} Entry;

struct _MailProtocolLog
{
  GObject  parent_instance;

  GMutex   mutex;
  char    *name;
  Entry   *entries;
  guint    max_entries;
  /* The oldest entry, and how many there are. */
  guint    head;
  guint    n_entries;
};

G_DEFINE_FINAL_TYPE (MailProtocolLog, mail_protocol_log, G_TYPE_OBJECT)

static const char *
direction_prefix (MailProtocolLogDirection direction)
{
  switch (direction)
    {
    case MAIL_PROTOCOL_LOG_SENT:
      return "C: ";
    case MAIL_PROTOCOL_LOG_RECEIVED:
      return "S: ";
    case MAIL_PROTOCOL_LOG_INFO:
    default:
      return "-- ";
    }
}

static void
entry_clear (Entry *entry)
{
  g_clear_pointer (&entry->text, g_free);
  entry->n_bytes = 0;
}

static void
mail_protocol_log_finalize (GObject *object)
{
  MailProtocolLog *self = (MailProtocolLog *) object;

  for (guint i = 0; i < self->max_entries; i++)
    entry_clear (&self->entries[i]);
  g_clear_pointer (&self->entries, g_free);
  g_clear_pointer (&self->name, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (mail_protocol_log_parent_class)->finalize (object);
}

static void
mail_protocol_log_class_init (MailProtocolLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_protocol_log_finalize;
}

static void
mail_protocol_log_init (MailProtocolLog *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * mail_protocol_log_new:
 * @max_entries: how many entries to keep, or 0 for
 *   %MAIL_PROTOCOL_LOG_DEFAULT_MAX_ENTRIES
 *
 * Returns: (transfer full): an empty log
 */
MailProtocolLog *
mail_protocol_log_new (guint max_entries)
{
  MailProtocolLog *self = g_object_new (MAIL_TYPE_PROTOCOL_LOG, NULL);

  self->max_entries = max_entries > 0 ? max_entries : MAIL_PROTOCOL_LOG_DEFAULT_MAX_ENTRIES;
  self->entries = g_new0 (Entry, self->max_entries);

  return self;
}

/**
 * mail_protocol_log_set_name:
 * @self: a #MailProtocolLog
 * @name: (nullable): what the debug output calls this log, such as "imap
 *   mail.example.test:993"
 */
void
mail_protocol_log_set_name (MailProtocolLog *self,
                            const char      *name)
{
  g_return_if_fail (MAIL_IS_PROTOCOL_LOG (self));

  g_mutex_lock (&self->mutex);
  g_free (self->name);
  self->name = g_strdup (name);
  g_mutex_unlock (&self->mutex);
}

/**
 * mail_protocol_log_dup_name:
 * @self: a #MailProtocolLog
 *
 * Returns: (transfer full) (nullable): the log's name
 */
char *
mail_protocol_log_dup_name (MailProtocolLog *self)
{
  char *name;

  g_return_val_if_fail (MAIL_IS_PROTOCOL_LOG (self), NULL);

  g_mutex_lock (&self->mutex);
  name = g_strdup (self->name);
  g_mutex_unlock (&self->mutex);

  return name;
}

/**
 * mail_protocol_log_get_max_entries:
 * @self: a #MailProtocolLog
 *
 * Returns: how many entries the log keeps
 */
guint
mail_protocol_log_get_max_entries (MailProtocolLog *self)
{
  g_return_val_if_fail (MAIL_IS_PROTOCOL_LOG (self), 0);

  return self->max_entries;
}

/* Appends text for a log line: printable ASCII and valid UTF-8 as they are, anything
 * else as \xNN, at most ENTRY_MAX_BYTES of input. */
static void
append_escaped (GString    *out,
                const char *data,
                gsize       length)
{
  gsize shown = MIN (length, ENTRY_MAX_BYTES);
  const char *p = data;
  const char *end = data + shown;

  while (p < end)
    {
      guchar c = (guchar) *p;

      if ((c >= 0x20 && c < 0x7f) || c == '\t')
        {
          /* Most of a protocol line is printable ASCII: copy each run at once, as every
           * received line passes through here (a fifth of a bulk FETCH's client time). */
          const char *run = p;

          while (p < end && ((((guchar) *p) >= 0x20 && ((guchar) *p) < 0x7f) || *p == '\t'))
            p++;
          g_string_append_len (out, run, p - run);
        }
      else if (c >= 0x80)
        {
          gunichar ch = g_utf8_get_char_validated (p, end - p);

          if (ch != (gunichar) -1 && ch != (gunichar) -2 && ch >= 0xa0)
            {
              const char *next = g_utf8_next_char (p);

              g_string_append_len (out, p, next - p);
              p = next;
            }
          else
            {
              g_string_append_printf (out, "\\x%02X", c);
              p++;
            }
        }
      else
        {
          g_string_append_printf (out, "\\x%02X", c);
          p++;
        }
    }

  if (length > shown)
    g_string_append_printf (out, " … [%" G_GSIZE_FORMAT " more bytes]", length - shown);
}

static void
mirror_to_debug (MailProtocolLog          *self,
                 MailProtocolLogDirection  direction,
                 const char               *text,
                 guint64                   n_bytes)
{
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;

  if (text != NULL)
    g_debug ("%s%s%s%s", self->name != NULL ? self->name : "", self->name != NULL ? " " : "",
             direction_prefix (direction), text);
  else
    g_debug ("%s%s%s[%" G_GUINT64_FORMAT " bytes]", self->name != NULL ? self->name : "",
             self->name != NULL ? " " : "", direction_prefix (direction), n_bytes);
}

static Entry *
last_entry (MailProtocolLog *self)
{
  if (self->n_entries == 0)
    return NULL;

  return &self->entries[(self->head + self->n_entries - 1) % self->max_entries];
}

/* Takes the next slot of the ring, dropping the oldest entry when the ring is full.
 * Called with the mutex held. */
static Entry *
push_entry (MailProtocolLog          *self,
            MailProtocolLogDirection  direction)
{
  Entry *entry;

  if (self->n_entries == self->max_entries)
    {
      entry_clear (&self->entries[self->head]);
      self->head = (self->head + 1) % self->max_entries;
      self->n_entries--;
    }

  entry = &self->entries[(self->head + self->n_entries) % self->max_entries];
  self->n_entries++;
  entry->time = g_get_real_time ();
  entry->direction = direction;

  return entry;
}

static void
add_text_entry (MailProtocolLog          *self,
                MailProtocolLogDirection  direction,
                char                     *text)
{
  Entry *entry;

  g_mutex_lock (&self->mutex);
  entry = push_entry (self, direction);
  entry->text = text;
  mirror_to_debug (self, direction, text, 0);
  g_mutex_unlock (&self->mutex);
}

/**
 * mail_protocol_log_add_line:
 * @self: a #MailProtocolLog
 * @direction: who sent it
 * @line: the line, without its terminator (a trailing CR or LF is dropped anyway)
 * @length: the length of @line, or -1 if it is NUL-terminated
 *
 * Records one line.
 */
void
mail_protocol_log_add_line (MailProtocolLog          *self,
                            MailProtocolLogDirection  direction,
                            const char               *line,
                            gssize                    length)
{
  GString *text;
  gsize len;

  g_return_if_fail (MAIL_IS_PROTOCOL_LOG (self));
  g_return_if_fail (line != NULL || length == 0);

  len = length < 0 ? strlen (line) : (gsize) length;
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;

  text = g_string_sized_new (MIN (len, ENTRY_MAX_BYTES) + 16);
  append_escaped (text, line, len);
  add_text_entry (self, direction, g_string_free (text, FALSE));
}

/**
 * mail_protocol_log_add_data:
 * @self: a #MailProtocolLog
 * @direction: who sent it
 * @data: (array length=length): one or more lines, such as a pipelined group of commands
 * @length: the length of @data
 *
 * Records each line of @data as its own entry.
 */
void
mail_protocol_log_add_data (MailProtocolLog          *self,
                            MailProtocolLogDirection  direction,
                            const char               *data,
                            gsize                     length)
{
  const char *p = data;
  const char *end = data + length;

  g_return_if_fail (MAIL_IS_PROTOCOL_LOG (self));
  g_return_if_fail (data != NULL || length == 0);

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;

      mail_protocol_log_add_line (self, direction, p, line_end - p);
      p = newline != NULL ? newline + 1 : end;
    }
}

/**
 * mail_protocol_log_add_secret:
 * @self: a #MailProtocolLog
 * @direction: who sent it
 * @data: (array length=public_length): the data, of which only the first @public_length
 *   bytes are read
 * @public_length: how much of @data may be shown, such as the length of "a2 LOGIN "
 *
 * Records data holding a secret: the public prefix, then %MAIL_PROTOCOL_LOG_REDACTED in
 * place of the rest ("C: a2 LOGIN ******", "C: ******" for a SASL response). Lines that
 * end within the prefix are recorded as they are.
 */
void
mail_protocol_log_add_secret (MailProtocolLog          *self,
                              MailProtocolLogDirection  direction,
                              const char               *data,
                              gsize                     public_length)
{
  const char *p = data;
  const char *end = data + public_length;
  GString *text;

  g_return_if_fail (MAIL_IS_PROTOCOL_LOG (self));
  g_return_if_fail (data != NULL || public_length == 0);

  for (;;)
    {
      const char *newline = p < end ? memchr (p, '\n', end - p) : NULL;

      if (newline == NULL)
        break;
      mail_protocol_log_add_line (self, direction, p, newline - p);
      p = newline + 1;
    }

  text = g_string_new (NULL);
  append_escaped (text, p, end - p);
  g_string_append (text, MAIL_PROTOCOL_LOG_REDACTED);
  add_text_entry (self, direction, g_string_free (text, FALSE));
}

/**
 * mail_protocol_log_add_body:
 * @self: a #MailProtocolLog
 * @direction: who sent it
 * @n_bytes: how many bytes of message data went by
 *
 * Records message data by its size only ("[1234 bytes]"). Consecutive calls in the same
 * direction add up in one entry, so a POP3 RETR read line by line is one entry.
 */
void
mail_protocol_log_add_body (MailProtocolLog          *self,
                            MailProtocolLogDirection  direction,
                            guint64                   n_bytes)
{
  Entry *entry;

  g_return_if_fail (MAIL_IS_PROTOCOL_LOG (self));

  g_mutex_lock (&self->mutex);
  entry = last_entry (self);
  if (entry != NULL && entry->text == NULL && entry->direction == direction)
    {
      entry->n_bytes += n_bytes;
    }
  else
    {
      entry = push_entry (self, direction);
      entry->n_bytes = n_bytes;
      mirror_to_debug (self, direction, NULL, n_bytes);
    }
  g_mutex_unlock (&self->mutex);
}

/**
 * mail_protocol_log_add_info:
 * @self: a #MailProtocolLog
 * @format: printf()-style format
 * @...: the arguments
 *
 * Records a note of the connection layer ("-- TLS 1.3 established").
 */
void
mail_protocol_log_add_info (MailProtocolLog *self,
                            const char      *format,
                            ...)
{
  va_list args;
  char *text;

  g_return_if_fail (MAIL_IS_PROTOCOL_LOG (self));

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  add_text_entry (self, MAIL_PROTOCOL_LOG_INFO, text);
}

/**
 * mail_protocol_log_clear:
 * @self: a #MailProtocolLog
 *
 * Drops every entry.
 */
void
mail_protocol_log_clear (MailProtocolLog *self)
{
  g_return_if_fail (MAIL_IS_PROTOCOL_LOG (self));

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->max_entries; i++)
    entry_clear (&self->entries[i]);
  self->head = 0;
  self->n_entries = 0;
  g_mutex_unlock (&self->mutex);
}

/**
 * mail_protocol_log_get_n_entries:
 * @self: a #MailProtocolLog
 *
 * Returns: how many entries the log holds
 */
guint
mail_protocol_log_get_n_entries (MailProtocolLog *self)
{
  guint n;

  g_return_val_if_fail (MAIL_IS_PROTOCOL_LOG (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_entries;
  g_mutex_unlock (&self->mutex);

  return n;
}

static char *
format_entry (const Entry *entry)
{
  g_autoptr (GDateTime) date = g_date_time_new_from_unix_utc (entry->time / G_USEC_PER_SEC);
  g_autofree char *stamp = NULL;
  int millis = (int) ((entry->time % G_USEC_PER_SEC) / 1000);

  stamp = date != NULL ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%S") : g_strdup ("?");

  if (entry->text != NULL)
    return g_strdup_printf ("%s.%03dZ %s%s", stamp, millis, direction_prefix (entry->direction),
                            entry->text);

  return g_strdup_printf ("%s.%03dZ %s[%" G_GUINT64_FORMAT " bytes]", stamp, millis,
                          direction_prefix (entry->direction), entry->n_bytes);
}

/**
 * mail_protocol_log_dup_lines:
 * @self: a #MailProtocolLog
 *
 * Returns: (transfer full): the entries, oldest first, each as "TIME C: text" with an ISO
 *   8601 UTC time stamp in milliseconds
 */
char **
mail_protocol_log_dup_lines (MailProtocolLog *self)
{
  char **lines;

  g_return_val_if_fail (MAIL_IS_PROTOCOL_LOG (self), NULL);

  g_mutex_lock (&self->mutex);
  lines = g_new0 (char *, self->n_entries + 1);
  for (guint i = 0; i < self->n_entries; i++)
    lines[i] = format_entry (&self->entries[(self->head + i) % self->max_entries]);
  g_mutex_unlock (&self->mutex);

  return lines;
}

/**
 * mail_protocol_log_to_string:
 * @self: a #MailProtocolLog
 *
 * Returns: (transfer full): the whole log, one entry a line, for a bug report
 */
char *
mail_protocol_log_to_string (MailProtocolLog *self)
{
  g_auto (GStrv) lines = mail_protocol_log_dup_lines (self);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}
