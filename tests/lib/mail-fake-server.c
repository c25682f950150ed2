/* mail-fake-server.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A scripted mail server in the test process, for what real servers will not do:
 * injected bytes after STARTTLS, silence, dropped connections, huge lines.
 *
 * A GSocketService on 127.0.0.1, port 0, runs in its own thread with its own main
 * context, so the test's thread can make blocking client calls. Each accepted connection
 * runs the whole script, step by step, in that thread: send bytes, expect a line, start
 * TLS (server side), sleep, close, or wait until the client closes. The first step that
 * fails ends the script and is recorded; tests check it with
 * mail_fake_server_dup_failure(). Lines received are kept as a transcript.
 *
 * Reading is byte by byte on purpose: the server never reads ahead, so after STARTTLS it
 * cannot swallow what the client sends next, and it sees exactly what arrives when.
 *
 * For clients whose exact conversation is not known in advance (autodetection probes a
 * server, then signs in on new connections), a respond step hands every line to a function
 * that answers it. Connections are served one after the other unless
 * mail_fake_server_set_concurrent() gives each its own thread; the server counts what it
 * accepted and notes when each connection ended, so tests can check that a client closed
 * its sockets in time.
 */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "mail-fake-server.h"

#define STEP_TIMEOUT_SECONDS 10

typedef enum
{
  STEP_SEND,
  STEP_EXPECT,
  STEP_STARTTLS,
  STEP_SLEEP,
  STEP_CLOSE,
  STEP_WAIT_CLOSE,
  STEP_RESPOND,
} StepKind;

typedef struct
{
  StepKind                   kind;
  GBytes                    *data;
  char                      *line;
  guint                      milliseconds;
  MailFakeServerRespondFunc  respond;
  gpointer                   respond_data;
} Step;

/* One accepted connection running the script. */
typedef struct
{
  MailFakeServer    *server;
  GSocketConnection *connection;
  guint              index;
  char              *state;
} Run;

struct _MailFakeServer
{
  GTlsCertificate *certificate;
  gboolean         implicit_tls;
  gboolean         concurrent;
  GPtrArray       *steps;

  GSocketService  *service;
  guint16          port;
  GMainContext    *context;
  GMainLoop       *loop;
  GThread         *thread;
  GCancellable    *cancellable;

  GMutex           mutex;
  GCond            cond;
  guint            n_accepted;
  guint            n_finished;
  char            *failure;
  GString         *transcript;
  GString         *plaintext_transcript;
  gsize            waited_bytes;
  GArray          *end_times;
  GPtrArray       *threads;
};

static void
step_free (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->data, g_bytes_unref);
  g_clear_pointer (&step->line, g_free);
  g_free (step);
}

static Step *
add_step (MailFakeServer *self,
          StepKind        kind)
{
  Step *step = g_new0 (Step, 1);

  g_assert (self->thread == NULL);

  step->kind = kind;
  g_ptr_array_add (self->steps, step);

  return step;
}

/**
 * mail_fake_server_new:
 * @certificate: (nullable): the server's certificate (with its key), for implicit TLS or
 *   STARTTLS
 * @implicit_tls: whether connections start with a TLS handshake
 *
 * Returns: (transfer full): a server listening on 127.0.0.1; add steps, then call
 *   mail_fake_server_start()
 */
MailFakeServer *
mail_fake_server_new (GTlsCertificate *certificate,
                      gboolean         implicit_tls)
{
  MailFakeServer *self = g_new0 (MailFakeServer, 1);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  g_assert (!implicit_tls || certificate != NULL);

  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->implicit_tls = implicit_tls;
  self->steps = g_ptr_array_new_with_free_func (step_free);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->cancellable = g_cancellable_new ();
  self->transcript = g_string_new (NULL);
  self->plaintext_transcript = g_string_new (NULL);
  self->end_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->threads = g_ptr_array_new ();
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  /* Inactive until the server thread starts it, so that it accepts in that thread. */
  self->service = g_object_new (G_TYPE_SOCKET_SERVICE, "active", FALSE, NULL);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &bound, &error))
    g_error ("fake server: cannot listen on 127.0.0.1: %s", error->message);

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return self;
}

/**
 * mail_fake_server_send:
 * @self: a #MailFakeServer
 * @text: bytes to send as they are (include the CRLF)
 */
void
mail_fake_server_send (MailFakeServer *self,
                       const char     *text)
{
  add_step (self, STEP_SEND)->data = g_bytes_new (text, strlen (text));
}

/**
 * mail_fake_server_send_bytes:
 * @self: a #MailFakeServer
 * @bytes: bytes to send as they are
 */
void
mail_fake_server_send_bytes (MailFakeServer *self,
                             GBytes         *bytes)
{
  add_step (self, STEP_SEND)->data = g_bytes_ref (bytes);
}

/**
 * mail_fake_server_expect:
 * @self: a #MailFakeServer
 * @line: the line the client must send (without CRLF); a trailing "*" matches any rest
 */
void
mail_fake_server_expect (MailFakeServer *self,
                         const char     *line)
{
  add_step (self, STEP_EXPECT)->line = g_strdup (line);
}

/**
 * mail_fake_server_starttls:
 * @self: a #MailFakeServer
 *
 * A TLS handshake, server side, on the connection as it is.
 */
void
mail_fake_server_starttls (MailFakeServer *self)
{
  g_assert (self->certificate != NULL);

  add_step (self, STEP_STARTTLS);
}

/**
 * mail_fake_server_sleep:
 * @self: a #MailFakeServer
 * @milliseconds: how long to pause
 */
void
mail_fake_server_sleep (MailFakeServer *self,
                        guint           milliseconds)
{
  add_step (self, STEP_SLEEP)->milliseconds = milliseconds;
}

/**
 * mail_fake_server_close:
 * @self: a #MailFakeServer
 *
 * Closes the connection at once (the script ends).
 */
void
mail_fake_server_close (MailFakeServer *self)
{
  add_step (self, STEP_CLOSE);
}

/**
 * mail_fake_server_wait_close:
 * @self: a #MailFakeServer
 *
 * Reads until the client closes, counting what arrives (see
 * mail_fake_server_get_waited_bytes()). Also the way to stay silent.
 */
void
mail_fake_server_wait_close (MailFakeServer *self)
{
  add_step (self, STEP_WAIT_CLOSE);
}

/**
 * mail_fake_server_respond:
 * @self: a #MailFakeServer
 * @func: answers each line
 * @user_data: for @func
 *
 * Lets @func answer: first with a %NULL line, then for each line the client sends, until
 * it returns %MAIL_FAKE_SERVER_REPLY_CLOSE or the client closes the connection (which ends
 * the step without a failure). Every line goes into the transcript.
 */
void
mail_fake_server_respond (MailFakeServer            *self,
                          MailFakeServerRespondFunc  func,
                          gpointer                   user_data)
{
  Step *step = add_step (self, STEP_RESPOND);

  step->respond = func;
  step->respond_data = user_data;
}

/**
 * mail_fake_server_set_concurrent:
 * @self: a #MailFakeServer
 * @concurrent: whether each connection runs in a thread of its own
 *
 * By default connections are served one at a time, in the order they arrive. A client
 * that opens several at once (and waits on each) needs them served at the same time.
 */
void
mail_fake_server_set_concurrent (MailFakeServer *self,
                                 gboolean        concurrent)
{
  g_assert (self->thread == NULL);

  self->concurrent = concurrent;
}

static void
record_failure (MailFakeServer *self,
                const char     *what,
                const GError   *error)
{
  g_mutex_lock (&self->mutex);
  if (self->failure == NULL)
    self->failure = g_strdup_printf ("%s%s%s", what, error != NULL ? ": " : "",
                                     error != NULL ? error->message : "");
  g_mutex_unlock (&self->mutex);
}

static char *
read_line (MailFakeServer  *self,
           GInputStream    *input,
           GError         **error)
{
  g_autoptr (GString) line = g_string_new (NULL);

  for (;;)
    {
      char c;
      gssize n = g_input_stream_read (input, &c, 1, self->cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "client closed the connection (after \"%s\")", line->str);
          return NULL;
        }
      if (c == '\n')
        break;
      g_string_append_c (line, c);
    }

  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);

  return g_string_free (g_steal_pointer (&line), FALSE);
}

static gboolean
line_matches (const char *pattern,
              const char *line)
{
  gsize len = strlen (pattern);

  if (len > 0 && pattern[len - 1] == '*')
    return strncmp (pattern, line, len - 1) == 0;

  return g_str_equal (pattern, line);
}

static GIOStream *
start_tls (MailFakeServer  *self,
           GIOStream       *base,
           GError         **error)
{
  g_autoptr (GIOStream) tls = g_tls_server_connection_new (base, self->certificate, error);

  if (tls == NULL)
    return NULL;

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), self->cancellable, error))
    return NULL;

  return g_steal_pointer (&tls);
}

static void
record_line (MailFakeServer *self,
             GIOStream      *stream,
             const char     *line)
{
  g_mutex_lock (&self->mutex);
  g_string_append_printf (self->transcript, "%s\n", line);
  if (!G_IS_TLS_CONNECTION (stream))
    g_string_append_printf (self->plaintext_transcript, "%s\n", line);
  g_mutex_unlock (&self->mutex);
}

static gboolean
write_text (MailFakeServer  *self,
            GIOStream       *stream,
            const char      *text,
            gsize            len,
            GError         **error)
{
  GOutputStream *output = g_io_stream_get_output_stream (stream);

  if (len == 0)
    return TRUE;

  return g_output_stream_write_all (output, text, len, NULL, self->cancellable, error)
         && g_output_stream_flush (output, self->cancellable, error);
}

static gboolean
run_respond (MailFakeServer  *self,
             Run             *run,
             Step            *step,
             GIOStream      **stream,
             GIOStream       *base,
             GError         **error)
{
  g_autofree char *line = NULL;

  for (;;)
    {
      g_autoptr (GString) reply = g_string_new (NULL);
      MailFakeServerAction action;
      GError *local_error = NULL;

      action = step->respond (run->index, G_IS_TLS_CONNECTION (*stream), line, &run->state, reply,
                              step->respond_data);
      if (!write_text (self, *stream, reply->str, reply->len, error))
        return FALSE;

      if (action == MAIL_FAKE_SERVER_REPLY_CLOSE)
        return TRUE;
      if (action == MAIL_FAKE_SERVER_REPLY_STARTTLS)
        {
          GIOStream *tls = start_tls (self, base, error);

          if (tls == NULL)
            return FALSE;
          g_clear_object (stream);
          *stream = tls;
        }

      g_clear_pointer (&line, g_free);
      line = read_line (self, g_io_stream_get_input_stream (*stream), &local_error);
      if (line == NULL)
        {
          /* The client hanging up is how such a conversation ends. */
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
            {
              g_error_free (local_error);
              return TRUE;
            }
          g_propagate_error (error, local_error);
          return FALSE;
        }
      record_line (self, *stream, line);
    }
}

static gboolean
run_step (MailFakeServer  *self,
          Run             *run,
          Step            *step,
          GIOStream      **stream,
          GIOStream       *base,
          GError         **error)
{
  GInputStream *input = g_io_stream_get_input_stream (*stream);

  switch (step->kind)
    {
    case STEP_SEND:
      {
        gsize len = 0;
        const char *data = g_bytes_get_data (step->data, &len);

        return write_text (self, *stream, data, len, error);
      }

    case STEP_EXPECT:
      {
        g_autofree char *line = read_line (self, input, error);

        if (line == NULL)
          return FALSE;

        record_line (self, *stream, line);

        if (!line_matches (step->line, line))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "expected \"%s\", got \"%s\"",
                         step->line, line);
            return FALSE;
          }
        return TRUE;
      }

    case STEP_STARTTLS:
      {
        GIOStream *tls = start_tls (self, base, error);

        if (tls == NULL)
          return FALSE;
        g_clear_object (stream);
        *stream = tls;
        return TRUE;
      }

    case STEP_SLEEP:
      {
        gint64 end = g_get_monotonic_time () + (gint64) step->milliseconds * 1000;

        while (g_get_monotonic_time () < end && !g_cancellable_is_cancelled (self->cancellable))
          g_usleep (5000);
        return TRUE;
      }

    case STEP_CLOSE:
      return g_io_stream_close (*stream, NULL, error);

    case STEP_WAIT_CLOSE:
      for (;;)
        {
          char buffer[4096];
          gssize n = g_input_stream_read (input, buffer, sizeof buffer, self->cancellable, error);

          if (n < 0)
            return FALSE;
          if (n == 0)
            return TRUE;
          g_mutex_lock (&self->mutex);
          self->waited_bytes += n;
          g_mutex_unlock (&self->mutex);
        }

    case STEP_RESPOND:
      return run_respond (self, run, step, stream, base, error);

    default:
      g_assert_not_reached ();
    }
}

static void
run_script (Run *run)
{
  MailFakeServer *self = run->server;
  GSocketConnection *connection = run->connection;
  g_autoptr (GIOStream) stream = g_object_ref (G_IO_STREAM (connection));
  g_autoptr (GError) error = NULL;
  gint64 now;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), STEP_TIMEOUT_SECONDS);
  /* Answer at once, like a real server tuned for it; no Nagle/delayed-ACK stalls. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);

  if (self->implicit_tls)
    {
      GIOStream *tls = start_tls (self, G_IO_STREAM (connection), &error);

      if (tls == NULL)
        {
          record_failure (self, "TLS handshake", error);
          goto out;
        }
      g_clear_object (&stream);
      stream = tls;
    }

  for (guint i = 0; i < self->steps->len; i++)
    {
      Step *step = g_ptr_array_index (self->steps, i);

      if (!run_step (self, run, step, &stream, G_IO_STREAM (connection), &error))
        {
          g_autofree char *what = g_strdup_printf ("step %u", i + 1);

          record_failure (self, what, error);
          goto out;
        }
      if (step->kind == STEP_CLOSE)
        goto out;
    }

  g_io_stream_close (stream, NULL, NULL);

out:
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  now = g_get_monotonic_time ();

  g_mutex_lock (&self->mutex);
  g_array_append_val (self->end_times, now);
  self->n_finished++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
run_free (Run *run)
{
  g_object_unref (run->connection);
  g_free (run->state);
  g_free (run);
}

static gpointer
connection_thread (gpointer data)
{
  Run *run = data;

  run_script (run);
  run_free (run);

  return NULL;
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  MailFakeServer *self = user_data;
  Run *run = g_new0 (Run, 1);

  run->server = self;
  run->connection = g_object_ref (connection);

  g_mutex_lock (&self->mutex);
  run->index = self->n_accepted++;
  g_mutex_unlock (&self->mutex);

  if (self->concurrent)
    {
      GThread *thread = g_thread_new ("fake-server-connection", connection_thread, run);

      g_mutex_lock (&self->mutex);
      g_ptr_array_add (self->threads, thread);
      g_mutex_unlock (&self->mutex);
    }
  else
    {
      run_script (run);
      run_free (run);
    }

  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  MailFakeServer *self = data;

  g_main_context_push_thread_default (self->context);
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (self->service);
  g_main_loop_run (self->loop);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/**
 * mail_fake_server_start:
 * @self: a #MailFakeServer
 *
 * Starts accepting connections; each runs the whole script.
 */
void
mail_fake_server_start (MailFakeServer *self)
{
  g_assert (self->thread == NULL);

  self->thread = g_thread_new ("fake-server", server_thread, self);
}

/**
 * mail_fake_server_get_port:
 * @self: a #MailFakeServer
 *
 * Returns: the port on 127.0.0.1
 */
guint16
mail_fake_server_get_port (MailFakeServer *self)
{
  return self->port;
}

/**
 * mail_fake_server_add_port:
 * @self: a #MailFakeServer
 *
 * Listens on one more port of 127.0.0.1, with the same script; call it before
 * mail_fake_server_start(). For clients that must be seen to connect to only so many of
 * a long list of servers.
 *
 * Returns: the new port
 */
guint16
mail_fake_server_add_port (MailFakeServer *self)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  g_assert (self->thread == NULL);

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &bound, &error))
    g_error ("fake server: cannot listen on 127.0.0.1: %s", error->message);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/**
 * mail_fake_server_wait_finished:
 * @self: a #MailFakeServer
 * @n_connections: how many connections must have finished their script
 * @timeout_ms: how long to wait at most
 *
 * Returns: whether they finished in time
 */
gboolean
mail_fake_server_wait_finished (MailFakeServer *self,
                                guint           n_connections,
                                guint           timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean done;

  g_mutex_lock (&self->mutex);
  while (self->n_finished < n_connections)
    if (!g_cond_wait_until (&self->cond, &self->mutex, end))
      break;
  done = self->n_finished >= n_connections;
  g_mutex_unlock (&self->mutex);

  return done;
}

/**
 * mail_fake_server_dup_failure:
 * @self: a #MailFakeServer
 *
 * Returns: (transfer full) (nullable): the first failed step, or %NULL
 */
char *
mail_fake_server_dup_failure (MailFakeServer *self)
{
  char *failure;

  g_mutex_lock (&self->mutex);
  failure = g_strdup (self->failure);
  g_mutex_unlock (&self->mutex);

  return failure;
}

/**
 * mail_fake_server_dup_transcript:
 * @self: a #MailFakeServer
 *
 * Returns: (transfer full): every line the server expected and received, one a line
 */
char *
mail_fake_server_dup_transcript (MailFakeServer *self)
{
  char *transcript;

  g_mutex_lock (&self->mutex);
  transcript = g_strdup (self->transcript->str);
  g_mutex_unlock (&self->mutex);

  return transcript;
}

/**
 * mail_fake_server_get_waited_bytes:
 * @self: a #MailFakeServer
 *
 * Returns: how many bytes arrived during wait-close steps
 */
gsize
mail_fake_server_get_waited_bytes (MailFakeServer *self)
{
  gsize n;

  g_mutex_lock (&self->mutex);
  n = self->waited_bytes;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * mail_fake_server_dup_plaintext_transcript:
 * @self: a #MailFakeServer
 *
 * Returns: (transfer full): the lines of the transcript that arrived before TLS, on
 *   whichever connection
 */
char *
mail_fake_server_dup_plaintext_transcript (MailFakeServer *self)
{
  char *transcript;

  g_mutex_lock (&self->mutex);
  transcript = g_strdup (self->plaintext_transcript->str);
  g_mutex_unlock (&self->mutex);

  return transcript;
}

/**
 * mail_fake_server_get_n_accepted:
 * @self: a #MailFakeServer
 *
 * Returns: how many connections were accepted so far
 */
guint
mail_fake_server_get_n_accepted (MailFakeServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_accepted;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * mail_fake_server_dup_end_times:
 * @self: a #MailFakeServer
 *
 * When a script ends because the client closed (see mail_fake_server_wait_close()), its
 * time is when the server saw the close.
 *
 * Returns: (transfer full) (element-type gint64): the g_get_monotonic_time() at which each
 *   finished connection ended, in the order they ended
 */
GArray *
mail_fake_server_dup_end_times (MailFakeServer *self)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_mutex_lock (&self->mutex);
  g_array_append_vals (times, self->end_times->data, self->end_times->len);
  g_mutex_unlock (&self->mutex);

  return times;
}

static gboolean
quit_cb (gpointer data)
{
  MailFakeServer *self = data;

  g_main_loop_quit (self->loop);

  return G_SOURCE_REMOVE;
}

/**
 * mail_fake_server_free:
 * @self: (transfer full): a #MailFakeServer
 *
 * Stops the server (cancelling a running script) and frees it.
 */
void
mail_fake_server_free (MailFakeServer *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  if (self->thread != NULL)
    {
      g_main_context_invoke (self->context, quit_cb, self);
      g_thread_join (self->thread);
    }
  else
    {
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  /* No new connection threads once the server thread is gone. */
  for (guint i = 0; i < self->threads->len; i++)
    g_thread_join (g_ptr_array_index (self->threads, i));

  g_clear_object (&self->service);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_string_free (self->transcript, TRUE);
  g_string_free (self->plaintext_transcript, TRUE);
  g_array_unref (self->end_times);
  g_ptr_array_unref (self->threads);
  g_clear_pointer (&self->failure, g_free);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

/**
 * mail_fake_server_assert_finished:
 * @self: a #MailFakeServer
 * @n_connections: how many connections the script was to serve
 *
 * Asserts that every connection ran its script to the end, within 10 seconds, with no
 * step failing.
 */
void
mail_fake_server_assert_finished (MailFakeServer *self,
                                  guint           n_connections)
{
  g_autofree char *failure = NULL;

  g_assert_true (mail_fake_server_wait_finished (self, n_connections, 10000));
  failure = mail_fake_server_dup_failure (self);
  g_assert_null (failure);
}

static void
assert_no_credentials_in (const char *transcript,
                          const char *user,
                          const char *password)
{
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  g_autofree char *plain_base64 = NULL;
  g_autofree char *login_base64 = NULL;

  g_byte_array_append (plain, (const guint8 *) "", 1);
  g_byte_array_append (plain, (const guint8 *) user, strlen (user) + 1);
  g_byte_array_append (plain, (const guint8 *) password, strlen (password));
  plain_base64 = g_base64_encode (plain->data, plain->len);
  login_base64 = g_base64_encode ((const guchar *) password, strlen (password));

  g_assert_null (strstr (transcript, password));
  g_assert_null (strstr (transcript, plain_base64));
  g_assert_null (strstr (transcript, login_base64));
}

/**
 * mail_fake_server_assert_no_credentials:
 * @self: a #MailFakeServer
 * @user: the user name the client was given
 * @password: the password it was given
 *
 * Asserts that the password reached the server in none of the forms a client sends it:
 * as is (LOGIN, USER/PASS), inside a SASL PLAIN response, or as a SASL LOGIN response.
 */
void
mail_fake_server_assert_no_credentials (MailFakeServer *self,
                                        const char     *user,
                                        const char     *password)
{
  g_autofree char *transcript = mail_fake_server_dup_transcript (self);

  assert_no_credentials_in (transcript, user, password);
}

/**
 * mail_fake_server_assert_no_plaintext_credentials:
 * @self: a #MailFakeServer
 * @user: the user name the client was given
 * @password: the password it was given
 *
 * The same as mail_fake_server_assert_no_credentials(), for what arrived before TLS only.
 */
void
mail_fake_server_assert_no_plaintext_credentials (MailFakeServer *self,
                                                  const char     *user,
                                                  const char     *password)
{
  g_autofree char *transcript = mail_fake_server_dup_plaintext_transcript (self);

  assert_no_credentials_in (transcript, user, password);
}
