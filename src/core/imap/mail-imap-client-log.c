/* mail-imap-client-log.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The protocol log of what the IMAP server sends. The engine passes every byte it reads
 * through here, which logs it line by line and the data of literals (message bodies) by
 * their size only. Nothing here changes what the client does. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client-private.h"

#define LOG_LINE_MAX 8192

void
_mail_imap_client_log_reset (MailImapClient *self)
{
  g_string_truncate (self->log_line, 0);
  self->log_tail_len = 0;
  self->log_literal = 0;
  self->log_literal_seen = 0;
  self->log_mid_response = FALSE;
}

/* The size of the literal a line announces ("... {123}" or "{123+}"), or 0. */
static guint64
announced_literal (const char *tail,
                   gsize       len)
{
  const char *open;
  g_autofree char *digits = NULL;
  guint64 size = 0;

  if (len > 0 && tail[len - 1] == '\r')
    len--;
  if (len < 3 || tail[len - 1] != '}')
    return 0;
  len--;
  if (tail[len - 1] == '+' || tail[len - 1] == '-')
    len--;
  open = g_strrstr_len (tail, len, "{");
  if (open == NULL || open + 1 == tail + len)
    return 0;

  digits = g_strndup (open + 1, tail + len - (open + 1));
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT64, &size, NULL))
    return 0;

  return size;
}

/* Logs what the server sent, line by line, and the data of literals (message bodies) by
 * their size only, as the connection does for bodies it reads itself. */
void
_mail_imap_client_log_received (MailImapClient *self,
                                const guint8   *data,
                                gsize           len)
{
  MailProtocolLog *log = mail_connection_get_log (self->connection);

  if (log == NULL)
    return;

  while (len > 0)
    {
      const guint8 *nl;
      gsize chunk;

      if (self->log_literal > 0)
        {
          gsize n = (gsize) MIN ((guint64) len, self->log_literal);

          self->log_literal -= n;
          self->log_literal_seen += n;
          data += n;
          len -= n;
          if (self->log_literal == 0)
            {
              mail_protocol_log_add_body (log, MAIL_PROTOCOL_LOG_RECEIVED,
                                          self->log_literal_seen);
              self->log_literal_seen = 0;
            }
          continue;
        }

      nl = memchr (data, '\n', len);
      chunk = nl != NULL ? (gsize) (nl - data) : len;

      if (self->log_line->len < LOG_LINE_MAX)
        g_string_append_len (self->log_line, (const char *) data,
                             MIN (chunk, LOG_LINE_MAX - self->log_line->len));
      if (chunk >= sizeof self->log_tail)
        {
          memcpy (self->log_tail, data + chunk - sizeof self->log_tail, sizeof self->log_tail);
          self->log_tail_len = sizeof self->log_tail;
        }
      else
        {
          gsize keep = MIN (self->log_tail_len, sizeof self->log_tail - chunk);

          memmove (self->log_tail, self->log_tail + self->log_tail_len - keep, keep);
          memcpy (self->log_tail + keep, data, chunk);
          self->log_tail_len = keep + chunk;
        }

      if (nl == NULL)
        return;

      data += chunk + 1;
      len -= chunk + 1;

      mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, self->log_line->str,
                                  self->log_line->len);
      /* A continuation request is free text: it announces nothing. */
      if (self->log_mid_response || self->log_line->str[0] != '+')
        self->log_literal = announced_literal (self->log_tail, self->log_tail_len);
      self->log_mid_response = self->log_literal > 0;
      g_string_truncate (self->log_line, 0);
      self->log_tail_len = 0;
    }
}
