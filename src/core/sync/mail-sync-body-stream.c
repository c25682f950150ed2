/* mail-sync-body-stream.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The IMAP client's body sink writes to a GOutputStream; the store takes bodies through a
 * MailStoreBodyWriter. This stream joins the two, so a body goes from the socket to its
 * file in chunks and never sits whole in memory. Closing it does not commit the body:
 * the sink's commit does that (mail_store_body_writer_commit()). */

#include "config.h"

#include "mail-sync-private.h"

#define MAIL_TYPE_SYNC_BODY_STREAM (mail_sync_body_stream_get_type ())

G_DECLARE_FINAL_TYPE (MailSyncBodyStream, mail_sync_body_stream, MAIL, SYNC_BODY_STREAM,
                      GOutputStream)

struct _MailSyncBodyStream
{
  GOutputStream        parent_instance;
  MailStoreBodyWriter *writer;
};

G_DEFINE_FINAL_TYPE (MailSyncBodyStream, mail_sync_body_stream, G_TYPE_OUTPUT_STREAM)

static gssize
mail_sync_body_stream_write_fn (GOutputStream  *stream,
                                const void     *buffer,
                                gsize           count,
                                GCancellable   *cancellable,
                                GError        **error)
{
  MailSyncBodyStream *self = MAIL_SYNC_BODY_STREAM (stream);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  if (!mail_store_body_writer_write (self->writer, buffer, count, error))
    return -1;

  return (gssize) count;
}

static void
mail_sync_body_stream_finalize (GObject *object)
{
  MailSyncBodyStream *self = MAIL_SYNC_BODY_STREAM (object);

  g_clear_object (&self->writer);

  G_OBJECT_CLASS (mail_sync_body_stream_parent_class)->finalize (object);
}

static void
mail_sync_body_stream_class_init (MailSyncBodyStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = mail_sync_body_stream_finalize;
  stream_class->write_fn = mail_sync_body_stream_write_fn;
}

static void
mail_sync_body_stream_init (MailSyncBodyStream *self)
{
}

GOutputStream *
_mail_sync_body_stream_new (MailStoreBodyWriter *writer)
{
  MailSyncBodyStream *self = g_object_new (MAIL_TYPE_SYNC_BODY_STREAM, NULL);

  self->writer = g_object_ref (writer);

  return G_OUTPUT_STREAM (self);
}

MailStoreBodyWriter *
_mail_sync_body_stream_get_writer (GOutputStream *stream)
{
  return MAIL_SYNC_BODY_STREAM (stream)->writer;
}
