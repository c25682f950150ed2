/* bench-imap-fetch.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* IMAP fetch benchmarks against the real Dovecot of tests/harness/mail-harness. Run inside
 * the harness (it reads MAIL_TEST_HARNESS and MAIL_TEST_CA_FILE):
 *
 *   mail-harness run --corpus N -- bench-imap-fetch --envelopes [--rounds R]
 *       On one TLS connection with INBOX selected, after one untimed round of each,
 *       alternates a raw
 *       UID FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE), whose response bytes are only
 *       framed (lines and literals) and counted, with the same command through
 *       MailImapClient, whose FETCH responses are parsed and streamed to a function.
 *       Prints the median of each and the ratio ours/raw.
 *
 *   mail-harness run --corpus N -- bench-imap-fetch --bodies DIR [--batch B] [--depth D]
 *       Fetches BODY.PEEK[] of every INBOX message in pipelined UID FETCH commands of B
 *       UIDs, D of them in flight, and streams each message from the socket to the Maildir
 *       DIR through a body sink (tmp/, then new/ once complete; the directories are
 *       fsynced at the end). Prints the seconds taken.
 *
 * The last line of output is a machine-readable "RESULT key=value ..." line, which
 * tests/bench/run-benchmarks.py reads. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <gio/gunixoutputstream.h>

#include "mail-imap-client.h"
#include "mail-tls-database.h"

#define FETCH_ITEMS "(UID FLAGS RFC822.SIZE ENVELOPE)"

typedef struct
{
  char    *host;
  guint16  port;
  char    *user;
  char    *password;
  char    *ca_file;
} Server;

static void
server_clear (Server *server)
{
  g_clear_pointer (&server->host, g_free);
  g_clear_pointer (&server->user, g_free);
  g_clear_pointer (&server->password, g_free);
  g_clear_pointer (&server->ca_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_clear)

static gboolean
server_load (Server  *server,
             GError **error)
{
  const char *ini = g_getenv ("MAIL_TEST_HARNESS");
  const char *ca_file = g_getenv ("MAIL_TEST_CA_FILE");
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *group = NULL;
  int port;

  if (ini == NULL || ca_file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "MAIL_TEST_HARNESS or MAIL_TEST_CA_FILE is not set: run this "
                           "inside tests/harness/mail-harness run");
      return FALSE;
    }
  if (!g_key_file_load_from_file (keyfile, ini, G_KEY_FILE_NONE, error))
    return FALSE;

  server->host = g_key_file_get_string (keyfile, "imap", "host", error);
  if (server->host == NULL)
    return FALSE;
  port = g_key_file_get_integer (keyfile, "imap", "tls-port", error);
  if (port <= 0 || port > G_MAXUINT16)
    return FALSE;
  server->port = (guint16) port;
  server->user = g_strdup ("alice@example.test");
  group = g_strconcat ("user ", server->user, NULL);
  server->password = g_key_file_get_string (keyfile, group, "password", error);
  if (server->password == NULL)
    return FALSE;
  server->ca_file = g_strdup (ca_file);

  return TRUE;
}

static MailImapClient *
open_inbox (const Server        *server,
            MailImapMailboxInfo *info,
            GError             **error)
{
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (MailImapClient) client = NULL;
  MailConnection *connection;

  database = mail_tls_database_new (server->ca_file, error);
  if (database == NULL)
    return NULL;

  client = mail_imap_client_new (server->host, server->port, MAIL_SECURITY_TLS, database);
  /* A first FETCH over a large mailbox builds Dovecot's cache; give it time. */
  connection = mail_imap_client_get_connection (client);
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_COMMAND, 600);

  if (!mail_imap_client_connect_sync (client, NULL, error)
      || !mail_imap_client_login_sync (client, server->user, server->password, NULL, error)
      || !mail_imap_client_select_sync (client, "INBOX", TRUE, NULL, info, NULL, error))
    return NULL;

  return g_steal_pointer (&client);
}

/* This process's CPU time (user and system): the client's own cost, which the other
 * load on the machine (Dovecot included) does not blur as much as the wall clock. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);

  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  if (values->len == 0)
    return 0;
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);

  return (g_array_index (values, double, values->len / 2 - 1)
          + g_array_index (values, double, values->len / 2)) / 2;
}

/* ------------------------------------------------------------------------ envelopes */

/* Frames the response stream the cheapest way that is still correct: lines and the
 * literals announced at their ends, with no tokenizing. Only a short head (the tag) and
 * tail (a literal announcement) of each line are looked at. */
typedef struct
{
  const char *tag;
  gsize       tag_len;
  guint64     literal_left;
  char        head[32];
  gsize       head_len;
  char        tail[32];
  gsize       tail_len;
  guint64     bytes;
  guint       lines;
  gboolean    done;
  gboolean    ok;
} RawScan;

static void
raw_scan_segment (RawScan    *scan,
                  const char *data,
                  gsize       len)
{
  gsize n = MIN (len, sizeof scan->head - scan->head_len);

  memcpy (scan->head + scan->head_len, data, n);
  scan->head_len += n;

  if (len >= sizeof scan->tail)
    {
      memcpy (scan->tail, data + len - sizeof scan->tail, sizeof scan->tail);
      scan->tail_len = sizeof scan->tail;
    }
  else
    {
      gsize keep = MIN (scan->tail_len, sizeof scan->tail - len);

      memmove (scan->tail, scan->tail + scan->tail_len - keep, keep);
      memcpy (scan->tail + keep, data, len);
      scan->tail_len = keep + len;
    }
}

/* Called at the end of a line (the LF is in the tail). */
static void
raw_scan_line (RawScan *scan)
{
  scan->lines++;

  if (scan->literal_left == 0 && scan->head_len > scan->tag_len
      && memcmp (scan->head, scan->tag, scan->tag_len) == 0
      && scan->head[scan->tag_len] == ' ')
    {
      scan->done = TRUE;
      scan->ok = scan->head_len >= scan->tag_len + 3
                 && g_ascii_strncasecmp (scan->head + scan->tag_len + 1, "OK", 2) == 0;
    }
  else if (scan->tail_len >= 4 && scan->tail[scan->tail_len - 2] == '\r'
           && scan->tail[scan->tail_len - 3] == '}')
    {
      gssize i = (gssize) scan->tail_len - 4;
      guint64 size = 0;
      guint64 scale = 1;

      if (i >= 0 && scan->tail[i] == '+')
        i--;
      while (i >= 0 && g_ascii_isdigit (scan->tail[i]))
        {
          size += (guint64) (scan->tail[i] - '0') * scale;
          scale *= 10;
          i--;
        }
      if (i >= 0 && scan->tail[i] == '{')
        scan->literal_left = size;
    }

  scan->head_len = 0;
  scan->tail_len = 0;
}

static gboolean
run_raw (MailImapClient *client,
         guint           round,
         guint64        *bytes,
         GError        **error)
{
  MailConnection *connection = mail_imap_client_get_connection (client);
  MailLineReader *reader = mail_connection_get_reader (connection);
  g_autofree char *tag = g_strdup_printf ("RAW%u", round);
  g_autofree char *line = g_strdup_printf ("%s UID FETCH 1:* " FETCH_ITEMS, tag);
  RawScan scan = { .tag = tag, .tag_len = strlen (tag) };

  if (!mail_connection_write_line_sync (connection, line, NULL, error))
    return FALSE;

  while (!scan.done)
    {
      const char *data;
      gsize available;
      gsize pos = 0;

      if (mail_line_reader_get_available (reader) == 0
          && !mail_connection_fill_sync (connection, NULL, error))
        return FALSE;

      data = (const char *) mail_line_reader_peek (reader, &available);
      while (pos < available && !scan.done)
        {
          const char *nl;

          if (scan.literal_left > 0)
            {
              gsize n = (gsize) MIN (scan.literal_left, available - pos);

              scan.literal_left -= n;
              pos += n;
              continue;
            }

          nl = memchr (data + pos, '\n', available - pos);
          if (nl == NULL)
            {
              raw_scan_segment (&scan, data + pos, available - pos);
              pos = available;
              break;
            }
          raw_scan_segment (&scan, data + pos, (gsize) (nl + 1 - (data + pos)));
          pos = (gsize) (nl + 1 - data);
          raw_scan_line (&scan);
        }

      scan.bytes += pos;
      if (!mail_line_reader_consume (reader, pos, error))
        return FALSE;
    }

  if (!scan.ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the raw FETCH did not end with OK");
      return FALSE;
    }

  *bytes = scan.bytes;

  return TRUE;
}

typedef struct
{
  guint count;
  guint bad;
} EnvelopeCount;

static void
envelope_cb (MailImapCommand        *command,
             const MailImapResponse *response,
             gpointer                user_data)
{
  EnvelopeCount *count = user_data;
  const MailImapFetch *fetch = &response->fetch;

  count->count++;
  if ((fetch->items & MAIL_IMAP_FETCH_UID) == 0 || fetch->uid == 0
      || (fetch->items & MAIL_IMAP_FETCH_ENVELOPE) == 0 || fetch->envelope == NULL)
    count->bad++;
}

static gboolean
run_ours (MailImapClient *client,
          guint          *messages,
          GError        **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  EnvelopeCount count = { 0 };

  command = mail_imap_client_new_command (client, "UID FETCH");
  mail_imap_command_add_atom (command, "1:*");
  mail_imap_command_add_atom (command, FETCH_ITEMS);
  mail_imap_command_set_response_func (command, MAIL_IMAP_RESPONSE_FETCH, envelope_cb, &count);
  if (!mail_imap_client_run_sync (client, command, NULL, error))
    return FALSE;

  if (count.bad > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%u of %u FETCH responses lacked a UID or an envelope", count.bad,
                   count.count);
      return FALSE;
    }

  *messages = count.count;

  return TRUE;
}

static int
bench_envelopes (const Server *server,
                 guint         rounds)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailImapClient) client = NULL;
  g_autoptr (GArray) raw_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) our_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) raw_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) our_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  MailImapMailboxInfo info = { 0 };
  guint64 bytes = 0;
  guint messages = 0;
  double raw, ours, raw_cpu_median, our_cpu_median;

  client = open_inbox (server, &info, &error);
  if (client == NULL)
    {
      g_printerr ("bench-imap-fetch: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print ("INBOX: %u messages\n", info.exists);

  /* Warm-up, not counted: the first FETCH makes Dovecot parse and cache every envelope,
   * and the first round of each kind still pays for page faults and cold caches. */
  if (!run_raw (client, 0, &bytes, &error) || !run_ours (client, &messages, &error))
    goto failed;

  for (guint round = 1; round <= rounds; round++)
    {
      gint64 start;
      double cpu_start;
      double seconds, cpu, raw_seconds, raw_cpu_seconds;

      start = g_get_monotonic_time ();
      cpu_start = cpu_seconds ();
      if (!run_raw (client, round, &bytes, &error))
        goto failed;
      raw_cpu_seconds = cpu_seconds () - cpu_start;
      raw_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_array_append_val (raw_times, raw_seconds);
      g_array_append_val (raw_cpu, raw_cpu_seconds);

      start = g_get_monotonic_time ();
      cpu_start = cpu_seconds ();
      if (!run_ours (client, &messages, &error))
        goto failed;
      cpu = cpu_seconds () - cpu_start;
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_array_append_val (our_times, seconds);
      g_array_append_val (our_cpu, cpu);

      g_print ("round %u: raw %.3f s (CPU %.3f s), ours %.3f s (CPU %.3f s)\n", round,
               raw_seconds, raw_cpu_seconds, seconds, cpu);
    }

  if (messages != info.exists)
    g_print ("warning: %u FETCH responses for %u messages\n", messages, info.exists);

  raw = median (raw_times);
  ours = median (our_times);
  raw_cpu_median = median (raw_cpu);
  our_cpu_median = median (our_cpu);
  g_print ("raw:  median %.3f s, %.0f messages/s, %" G_GUINT64_FORMAT " bytes\n", raw,
           messages / raw, bytes);
  g_print ("ours: median %.3f s, %.0f messages/s\n", ours, messages / ours);
  g_print ("ratio ours/raw: %.2f\n", ours / raw);
  g_print ("client CPU: raw %.3f s (%.2f us/message), ours %.3f s (%.2f us/message)\n",
           raw_cpu_median, raw_cpu_median * 1e6 / messages, our_cpu_median,
           our_cpu_median * 1e6 / messages);
  g_print ("RESULT mode=envelopes messages=%u bytes=%" G_GUINT64_FORMAT
           " rounds=%u raw=%.4f ours=%.4f ratio=%.3f raw_cpu=%.4f ours_cpu=%.4f\n",
           messages, bytes, rounds, raw, ours, ours / raw, raw_cpu_median, our_cpu_median);

  mail_imap_client_logout_sync (client, NULL, NULL);

  return EXIT_SUCCESS;

failed:
  g_printerr ("bench-imap-fetch: %s\n", error->message);
  return EXIT_FAILURE;
}

/* --------------------------------------------------------------------------- bodies */

typedef struct
{
  int      tmp_fd;
  int      new_fd;
  char     host[64];
  gint64   now;
  guint    messages;
  guint64  bytes;
} MaildirWriter;

/* The name of a message's file in tmp/ while it arrives: one body arrives at a time, and
 * each message of the mailbox has its own sequence number. */
static void
tmp_name (MaildirWriter          *writer,
          const MailImapBodyInfo *info,
          char                   *name,
          gsize                   size)
{
  g_snprintf (name, size, "%" G_GINT64_FORMAT ".S%u.%s", writer->now, info->seq,
              writer->host);
}

/* Each message goes from the socket to a file in tmp/ as it arrives (a body sink), never
 * whole in memory, and is renamed into new/ under its UID once complete. */
static GOutputStream *
maildir_open (const MailImapBodyInfo  *info,
              gpointer                 user_data,
              GError                 **error)
{
  MaildirWriter *writer = user_data;
  char name[160];
  int fd;

  tmp_name (writer, info, name, sizeof name);
  fd = openat (writer->tmp_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write %s: %s",
                   name, g_strerror (saved));
      return NULL;
    }

  return g_unix_output_stream_new (fd, TRUE);
}

static gboolean
maildir_commit (GOutputStream           *stream,
                const MailImapBodyInfo  *info,
                const MailImapFetch     *fetch,
                gpointer                 user_data,
                GError                 **error)
{
  MaildirWriter *writer = user_data;
  char name[160];
  char final[160];

  tmp_name (writer, info, name, sizeof name);
  g_snprintf (final, sizeof final, "%" G_GINT64_FORMAT ".B%uU%u.%s", writer->now,
              writer->messages, info->uid, writer->host);
  if (!g_output_stream_close (stream, NULL, error))
    return FALSE;
  if (renameat (writer->tmp_fd, name, writer->new_fd, final) != 0)
    {
      int saved = errno;

      unlinkat (writer->tmp_fd, name, 0);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot rename %s: %s",
                   name, g_strerror (saved));
      return FALSE;
    }

  writer->messages++;
  writer->bytes += info->size;
  return TRUE;
}

static void
maildir_abort (GOutputStream          *stream,
               const MailImapBodyInfo *info,
               gpointer                user_data)
{
  MaildirWriter *writer = user_data;
  char name[160];

  tmp_name (writer, info, name, sizeof name);
  g_output_stream_close (stream, NULL, NULL);
  unlinkat (writer->tmp_fd, name, 0);
}

static const MailImapBodySink maildir_sink = { maildir_open, maildir_commit, maildir_abort };

static void
ignore_cb (MailImapCommand        *command,
           const MailImapResponse *response,
           gpointer                user_data)
{
}

static char *
uid_set (GArray *uids,
         guint   first,
         guint   count)
{
  GString *set = g_string_new (NULL);
  guint i = first;
  guint end = first + count;

  while (i < end)
    {
      guint32 low = g_array_index (uids, guint32, i);
      guint32 high = low;

      while (i + 1 < end && g_array_index (uids, guint32, i + 1) == high + 1)
        high = g_array_index (uids, guint32, ++i);
      i++;

      if (set->len > 0)
        g_string_append_c (set, ',');
      if (low == high)
        g_string_append_printf (set, "%u", low);
      else
        g_string_append_printf (set, "%u:%u", low, high);
    }

  return g_string_free (set, FALSE);
}

static int
open_dir (const char *path)
{
  return open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int
bench_bodies (const Server *server,
              const char   *dir,
              guint         batch,
              guint         depth)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailImapClient) client = NULL;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (GQueue) pending = g_queue_new ();
  g_autofree char *tmp_path = g_build_filename (dir, "tmp", NULL);
  g_autofree char *new_path = g_build_filename (dir, "new", NULL);
  g_autofree char *cur_path = g_build_filename (dir, "cur", NULL);
  MaildirWriter writer = { .tmp_fd = -1, .new_fd = -1 };
  MailImapMailboxInfo info = { 0 };
  MailImapCommand *command;
  gint64 start;
  double seconds;
  guint next = 0;
  int ret = EXIT_FAILURE;
  int dir_fd = -1;

  if (g_mkdir_with_parents (tmp_path, 0700) != 0 || g_mkdir_with_parents (new_path, 0700) != 0
      || g_mkdir_with_parents (cur_path, 0700) != 0)
    {
      g_printerr ("bench-imap-fetch: cannot create the Maildir %s: %s\n", dir,
                  g_strerror (errno));
      return EXIT_FAILURE;
    }
  writer.tmp_fd = open_dir (tmp_path);
  writer.new_fd = open_dir (new_path);
  dir_fd = open_dir (dir);
  if (writer.tmp_fd < 0 || writer.new_fd < 0 || dir_fd < 0)
    {
      g_printerr ("bench-imap-fetch: cannot open the Maildir %s: %s\n", dir, g_strerror (errno));
      goto out;
    }
  if (gethostname (writer.host, sizeof writer.host - 1) != 0)
    g_strlcpy (writer.host, "localhost", sizeof writer.host);
  g_strdelimit (writer.host, "/:", '_');
  writer.now = g_get_real_time () / G_USEC_PER_SEC;

  /* Like mbsync, the clock starts before connecting. */
  start = g_get_monotonic_time ();

  client = open_inbox (server, &info, &error);
  if (client == NULL)
    goto failed;
  uids = mail_imap_client_uid_search_sync (client, "ALL", NULL, NULL, &error);
  if (uids == NULL)
    goto failed;

  while (next < uids->len || !g_queue_is_empty (pending))
    {
      while (next < uids->len && g_queue_get_length (pending) < depth)
        {
          guint count = MIN (batch, uids->len - next);
          g_autofree char *set = uid_set (uids, next, count);

          next += count;
          command = mail_imap_client_new_command (client, "UID FETCH");
          mail_imap_command_add_atom (command, set);
          mail_imap_command_add_atom (command, "(UID BODY.PEEK[])");
          mail_imap_command_set_body_sink (command, &maildir_sink, &writer);
          mail_imap_command_set_response_func (command, MAIL_IMAP_RESPONSE_FETCH, ignore_cb,
                                               NULL);
          g_queue_push_tail (pending, command);
          if (!mail_imap_client_submit (client, command, NULL, &error))
            goto failed;
        }

      command = g_queue_pop_head (pending);
      if (!mail_imap_client_wait_sync (client, command, NULL, &error))
        {
          mail_imap_command_unref (command);
          goto failed;
        }
      mail_imap_command_unref (command);
    }

  if (fsync (writer.new_fd) != 0 || fsync (writer.tmp_fd) != 0 || fsync (dir_fd) != 0)
    {
      g_printerr ("bench-imap-fetch: fsync: %s\n", g_strerror (errno));
      goto out;
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  mail_imap_client_logout_sync (client, NULL, NULL);

  if (writer.messages != uids->len)
    g_print ("warning: wrote %u messages of %u\n", writer.messages, uids->len);
  g_print ("bodies: %u messages, %" G_GUINT64_FORMAT " bytes in %.3f s (%.0f messages/s)\n",
           writer.messages, writer.bytes, seconds, writer.messages / seconds);
  g_print ("RESULT mode=bodies messages=%u bytes=%" G_GUINT64_FORMAT " seconds=%.4f\n",
           writer.messages, writer.bytes, seconds);
  ret = EXIT_SUCCESS;
  goto out;

failed:
  g_printerr ("bench-imap-fetch: %s\n", error->message);
out:
  while ((command = g_queue_pop_head (pending)) != NULL)
    mail_imap_command_unref (command);
  if (writer.tmp_fd >= 0)
    close (writer.tmp_fd);
  if (writer.new_fd >= 0)
    close (writer.new_fd);
  if (dir_fd >= 0)
    close (dir_fd);

  return ret;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (Server) server = { 0 };
  gboolean envelopes = FALSE;
  g_autofree char *bodies = NULL;
  int rounds = 7;
  int batch = 500;
  int depth = 4;
  const GOptionEntry entries[] = {
    { "envelopes", 0, 0, G_OPTION_ARG_NONE, &envelopes,
      "Compare a raw and a parsed envelope FETCH of INBOX", NULL },
    { "bodies", 0, 0, G_OPTION_ARG_FILENAME, &bodies,
      "Fetch every INBOX body into the Maildir DIR", "DIR" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds,
      "Timed rounds of each kind for --envelopes (default 7)", "R" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch,
      "UIDs per FETCH command for --bodies (default 500)", "B" },
    { "depth", 0, 0, G_OPTION_ARG_INT, &depth,
      "FETCH commands in flight for --bodies (default 4)", "D" },
    { NULL }
  };

  context = g_option_context_new ("- IMAP fetch benchmarks (inside mail-harness)");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-imap-fetch: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (envelopes == (bodies != NULL) || rounds < 1 || batch < 1 || depth < 1)
    {
      g_printerr ("bench-imap-fetch: give either --envelopes or --bodies DIR\n");
      return EXIT_FAILURE;
    }

  if (!server_load (&server, &error))
    {
      g_printerr ("bench-imap-fetch: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (envelopes)
    return bench_envelopes (&server, (guint) rounds);

  return bench_bodies (&server, bodies, (guint) batch, (guint) depth);
}
