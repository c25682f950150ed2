/* mail-secret-buffer.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A byte buffer for passwords, tokens and the SASL responses built from them. A GString or
 * GByteArray that grows moves its bytes with realloc(), which may leave the old copy in
 * freed memory, unwiped. This buffer never reallocates in place: it is meant to be sized
 * once, exactly, and when it must grow anyway it copies into a new block and wipes the old
 * one before giving it back. Freeing it wipes all it held.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <string.h>

#include "mail-secret-buffer.h"
#include "mail-secret-buffer-private.h"

struct _MailSecretBuffer
{
  guint8 *data;
  gsize   length;
  gsize   allocated;
};

G_LOCK_DEFINE_STATIC (release);
static MailSecretReleaseFunc release_func;
static gpointer release_data;

/**
 * mail_secret_wipe:
 * @data: (nullable): memory holding a secret
 * @length: its length in bytes
 *
 * Overwrites @data with zeros in a way the compiler may not drop as a dead store, even
 * right before the memory is freed.
 */
void
mail_secret_wipe (void  *data,
                  gsize  length)
{
  volatile guint8 *p = data;

  if (data == NULL)
    return;

  while (length-- > 0)
    *p++ = 0;

#ifdef __GNUC__
  /* The memory is "used" after the stores, so none of them is dead. */
  __asm__ __volatile__ ("" : : "r" (data) : "memory");
#endif
}

/**
 * mail_secret_free_string:
 * @text: (nullable) (transfer full): a password or other secret string
 *
 * Wipes @text (with mail_secret_wipe()) and frees it.
 */
void
mail_secret_free_string (char *text)
{
  if (text == NULL)
    return;

  mail_secret_wipe (text, strlen (text));
  g_free (text);
}

void
_mail_secret_buffer_set_release_func (MailSecretReleaseFunc func,
                                      gpointer              user_data)
{
  G_LOCK (release);
  release_func = func;
  release_data = user_data;
  G_UNLOCK (release);
}

/* Wipes and frees a block of storage. */
static void
release (guint8 *data,
         gsize   size)
{
  MailSecretReleaseFunc func;
  gpointer user_data;

  mail_secret_wipe (data, size);

  G_LOCK (release);
  func = release_func;
  user_data = release_data;
  G_UNLOCK (release);

  if (func != NULL)
    func (data, size, user_data);

  g_free (data);
}

/**
 * mail_secret_buffer_new:
 * @size: how many bytes it will hold: the exact length of what is appended, so that it
 *   never has to grow
 *
 * Returns: (transfer full): an empty buffer; free it with mail_secret_buffer_free()
 */
MailSecretBuffer *
mail_secret_buffer_new (gsize size)
{
  MailSecretBuffer *self = g_new0 (MailSecretBuffer, 1);

  self->allocated = MAX (size, 1);
  self->data = g_malloc (self->allocated);

  return self;
}

/* Makes room for @more bytes: a new block, the old one wiped and freed. */
static void
grow (MailSecretBuffer *self,
      gsize             more)
{
  gsize wanted;
  guint8 *data;

  if (more > G_MAXSIZE - self->length)
    g_error ("A secret buffer of %" G_GSIZE_FORMAT " bytes cannot grow by %" G_GSIZE_FORMAT,
             self->length, more);

  wanted = self->length + more;
  if (wanted <= self->allocated)
    return;

  wanted = MAX (wanted, self->allocated <= G_MAXSIZE / 2 ? self->allocated * 2 : wanted);
  data = g_malloc (wanted);
  memcpy (data, self->data, self->length);
  release (self->data, self->allocated);
  self->data = data;
  self->allocated = wanted;
}

/**
 * mail_secret_buffer_append:
 * @self: a #MailSecretBuffer
 * @data: (array length=length): the bytes to add
 * @length: how many
 *
 * Adds bytes at the end, growing (by copying and wiping) when the size given to
 * mail_secret_buffer_new() is exceeded.
 */
void
mail_secret_buffer_append (MailSecretBuffer *self,
                           const void       *data,
                           gsize             length)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || length == 0);

  if (length == 0)
    return;

  grow (self, length);
  memcpy (self->data + self->length, data, length);
  self->length += length;
}

/**
 * mail_secret_buffer_append_str:
 * @self: a #MailSecretBuffer
 * @text: a string, added without its NUL
 */
void
mail_secret_buffer_append_str (MailSecretBuffer *self,
                               const char       *text)
{
  g_return_if_fail (text != NULL);

  mail_secret_buffer_append (self, text, strlen (text));
}

/**
 * mail_secret_buffer_append_c:
 * @self: a #MailSecretBuffer
 * @c: a byte, NUL included
 */
void
mail_secret_buffer_append_c (MailSecretBuffer *self,
                             char              c)
{
  mail_secret_buffer_append (self, &c, 1);
}

/**
 * mail_secret_buffer_get_data:
 * @self: a #MailSecretBuffer
 * @length: (out) (optional): how many bytes it holds
 *
 * Returns: (transfer none) (array length=length): the bytes, valid until the next append
 *   or the free; not NUL-terminated
 */
const guint8 *
mail_secret_buffer_get_data (MailSecretBuffer *self,
                             gsize            *length)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (length != NULL)
    *length = self->length;

  return self->data;
}

/**
 * mail_secret_buffer_free:
 * @self: (nullable) (transfer full): a #MailSecretBuffer
 *
 * Wipes all its storage and frees it.
 */
void
mail_secret_buffer_free (MailSecretBuffer *self)
{
  if (self == NULL)
    return;

  release (self->data, self->allocated);
  g_free (self);
}
