/* mail-pop3-retrieved.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The token a RETR hands out, and the only thing DELE accepts (see the "Deleting safely"
 * comment of mail-pop3-client-delete.c). A token remembers the session it came from,
 * because POP3 message numbers mean something only within one session, and whether the
 * caller has confirmed that the message is durably stored. Marking is one-way and may
 * happen from any thread: the flag is atomic.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-pop3"

#include "mail-pop3-client-private.h"
#include "mail-pop3-retrieved.h"

struct _MailPop3Retrieved
{
  GObject  parent_instance;

  guint64  session;
  guint    number;
  char    *uid;
  guint64  size;
  GBytes  *bytes;
  GMutex   mutex;
  int      stored;
};

G_DEFINE_FINAL_TYPE (MailPop3Retrieved, mail_pop3_retrieved, G_TYPE_OBJECT)

static void
mail_pop3_retrieved_finalize (GObject *object)
{
  MailPop3Retrieved *self = (MailPop3Retrieved *) object;

  g_clear_pointer (&self->uid, g_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (mail_pop3_retrieved_parent_class)->finalize (object);
}

static void
mail_pop3_retrieved_class_init (MailPop3RetrievedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_pop3_retrieved_finalize;
}

static void
mail_pop3_retrieved_init (MailPop3Retrieved *self)
{
  g_mutex_init (&self->mutex);
}

MailPop3Retrieved *
_mail_pop3_retrieved_new (guint64     session,
                          guint       number,
                          const char *uid,
                          GBytes     *bytes)
{
  MailPop3Retrieved *self = g_object_new (MAIL_TYPE_POP3_RETRIEVED, NULL);

  self->session = session;
  self->number = number;
  self->uid = g_strdup (uid);
  self->size = g_bytes_get_size (bytes);
  self->bytes = g_bytes_ref (bytes);

  return self;
}

guint64
_mail_pop3_retrieved_get_session (MailPop3Retrieved *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_RETRIEVED (self), 0);

  return self->session;
}

/**
 * mail_pop3_retrieved_get_number:
 * @self: a #MailPop3Retrieved
 *
 * Returns: the message's number in the session it was retrieved in
 */
guint
mail_pop3_retrieved_get_number (MailPop3Retrieved *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_RETRIEVED (self), 0);

  return self->number;
}

/**
 * mail_pop3_retrieved_get_uid:
 * @self: a #MailPop3Retrieved
 *
 * The message's unique-id, known when the session listed them with UIDL before the
 * message was retrieved. Record it with the stored message: it is what
 * mail_pop3_client_delete_by_uid_sync() asks about in later sessions.
 *
 * Returns: (nullable): the unique-id, or %NULL when it is not known
 */
const char *
mail_pop3_retrieved_get_uid (MailPop3Retrieved *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_RETRIEVED (self), NULL);

  return self->uid;
}

/**
 * mail_pop3_retrieved_get_size:
 * @self: a #MailPop3Retrieved
 *
 * Returns: the size of the message as retrieved, in bytes (lines end in CRLF)
 */
guint64
mail_pop3_retrieved_get_size (MailPop3Retrieved *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_RETRIEVED (self), 0);

  return self->size;
}

/**
 * mail_pop3_retrieved_get_bytes:
 * @self: a #MailPop3Retrieved
 *
 * The message as the server sent it, dot-stuffing undone, every line ending in CRLF.
 *
 * Returns: (transfer none) (nullable): the message, or %NULL after
 *   mail_pop3_retrieved_steal_bytes()
 */
GBytes *
mail_pop3_retrieved_get_bytes (MailPop3Retrieved *self)
{
  GBytes *bytes;

  g_return_val_if_fail (MAIL_IS_POP3_RETRIEVED (self), NULL);

  g_mutex_lock (&self->mutex);
  bytes = self->bytes;
  g_mutex_unlock (&self->mutex);

  return bytes;
}

/**
 * mail_pop3_retrieved_steal_bytes:
 * @self: a #MailPop3Retrieved
 *
 * Takes the message out of the token, so that a batch of tokens kept for deletion does
 * not keep every message in memory. The token stays usable for DELE.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL if it was already taken
 */
GBytes *
mail_pop3_retrieved_steal_bytes (MailPop3Retrieved *self)
{
  GBytes *bytes;

  g_return_val_if_fail (MAIL_IS_POP3_RETRIEVED (self), NULL);

  g_mutex_lock (&self->mutex);
  bytes = g_steal_pointer (&self->bytes);
  g_mutex_unlock (&self->mutex);

  return bytes;
}

/**
 * mail_pop3_retrieved_mark_stored:
 * @self: a #MailPop3Retrieved
 *
 * Confirms that the message is durably stored locally: written and fsync()ed (file and
 * directory), or committed to a database that survives a power cut. Call it only then:
 * it is what allows mail_pop3_client_delete_sync() to delete the server's copy, and a
 * false confirmation loses mail. It cannot be undone.
 */
void
mail_pop3_retrieved_mark_stored (MailPop3Retrieved *self)
{
  g_return_if_fail (MAIL_IS_POP3_RETRIEVED (self));

  g_atomic_int_set (&self->stored, TRUE);
}

/**
 * mail_pop3_retrieved_is_stored:
 * @self: a #MailPop3Retrieved
 *
 * Returns: whether mail_pop3_retrieved_mark_stored() was called
 */
gboolean
mail_pop3_retrieved_is_stored (MailPop3Retrieved *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_RETRIEVED (self), FALSE);

  return g_atomic_int_get (&self->stored);
}
