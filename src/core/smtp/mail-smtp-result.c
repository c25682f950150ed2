/* mail-smtp-result.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The record of one SMTP transaction: the reply to MAIL FROM, to each RCPT TO and to the
 * end of the data, and the outcome. A message accepted for some recipients and refused
 * for others is MAIL_SMTP_OUTCOME_PARTIAL, never plain success: the outbox shows which
 * recipients did not get it and why. Results are built by the client and read-only
 * afterwards, so they may be passed between threads.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-smtp"

#include <glib/gi18n.h>

#include "mail-smtp-private.h"
#include "mail-smtp-result.h"

typedef struct
{
  char          *address;
  MailSmtpReply *reply;
} Recipient;

struct _MailSmtpResult
{
  GObject          parent_instance;

  MailSmtpOutcome  outcome;
  char            *sender;
  MailSmtpReply   *sender_reply;
  MailSmtpReply   *data_reply;
  GArray          *recipients;
};

G_DEFINE_FINAL_TYPE (MailSmtpResult, mail_smtp_result, G_TYPE_OBJECT)

static void
recipient_clear (gpointer data)
{
  Recipient *recipient = data;

  g_clear_pointer (&recipient->address, g_free);
  g_clear_pointer (&recipient->reply, mail_smtp_reply_unref);
}

static void
mail_smtp_result_finalize (GObject *object)
{
  MailSmtpResult *self = (MailSmtpResult *) object;

  g_clear_pointer (&self->sender, g_free);
  g_clear_pointer (&self->sender_reply, mail_smtp_reply_unref);
  g_clear_pointer (&self->data_reply, mail_smtp_reply_unref);
  g_clear_pointer (&self->recipients, g_array_unref);

  G_OBJECT_CLASS (mail_smtp_result_parent_class)->finalize (object);
}

static void
mail_smtp_result_class_init (MailSmtpResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_smtp_result_finalize;
}

static void
mail_smtp_result_init (MailSmtpResult *self)
{
  self->recipients = g_array_new (FALSE, TRUE, sizeof (Recipient));
  g_array_set_clear_func (self->recipients, recipient_clear);
}

MailSmtpResult *
_mail_smtp_result_new (const char         *sender,
                       const char * const *recipients)
{
  MailSmtpResult *self = g_object_new (MAIL_TYPE_SMTP_RESULT, NULL);

  self->sender = g_strdup (sender);
  for (guint i = 0; recipients != NULL && recipients[i] != NULL; i++)
    {
      Recipient recipient = { g_strdup (recipients[i]), NULL };

      g_array_append_val (self->recipients, recipient);
    }

  return self;
}

void
_mail_smtp_result_set_sender_reply (MailSmtpResult *self,
                                    MailSmtpReply  *reply)
{
  g_clear_pointer (&self->sender_reply, mail_smtp_reply_unref);
  self->sender_reply = reply != NULL ? mail_smtp_reply_ref (reply) : NULL;
}

void
_mail_smtp_result_set_recipient_reply (MailSmtpResult *self,
                                       guint           index,
                                       MailSmtpReply  *reply)
{
  Recipient *recipient;

  g_return_if_fail (index < self->recipients->len);

  recipient = &g_array_index (self->recipients, Recipient, index);
  g_clear_pointer (&recipient->reply, mail_smtp_reply_unref);
  recipient->reply = reply != NULL ? mail_smtp_reply_ref (reply) : NULL;
}

void
_mail_smtp_result_set_data_reply (MailSmtpResult *self,
                                  MailSmtpReply  *reply)
{
  g_clear_pointer (&self->data_reply, mail_smtp_reply_unref);
  self->data_reply = reply != NULL ? mail_smtp_reply_ref (reply) : NULL;
}

void
_mail_smtp_result_set_outcome (MailSmtpResult  *self,
                               MailSmtpOutcome  outcome)
{
  self->outcome = outcome;
}

static Recipient *
get_recipient (MailSmtpResult *self,
               guint           index)
{
  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), NULL);
  g_return_val_if_fail (index < self->recipients->len, NULL);

  return &g_array_index (self->recipients, Recipient, index);
}

/**
 * mail_smtp_result_get_outcome:
 * @self: a #MailSmtpResult
 *
 * Returns: what became of the message
 */
MailSmtpOutcome
mail_smtp_result_get_outcome (MailSmtpResult *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), MAIL_SMTP_OUTCOME_NOT_SENT);

  return self->outcome;
}

/**
 * mail_smtp_result_get_accepted:
 * @self: a #MailSmtpResult
 *
 * Returns: whether the server took responsibility for the message for at least one
 *   recipient (%MAIL_SMTP_OUTCOME_SENT or %MAIL_SMTP_OUTCOME_PARTIAL)
 */
gboolean
mail_smtp_result_get_accepted (MailSmtpResult *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), FALSE);

  return self->outcome == MAIL_SMTP_OUTCOME_SENT || self->outcome == MAIL_SMTP_OUTCOME_PARTIAL;
}

/**
 * mail_smtp_result_get_sender:
 * @self: a #MailSmtpResult
 *
 * Returns: the envelope sender ("" for the null sender)
 */
const char *
mail_smtp_result_get_sender (MailSmtpResult *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), NULL);

  return self->sender;
}

/**
 * mail_smtp_result_get_sender_reply:
 * @self: a #MailSmtpResult
 *
 * Returns: (transfer none) (nullable): the reply to MAIL FROM, or %NULL if none came
 */
MailSmtpReply *
mail_smtp_result_get_sender_reply (MailSmtpResult *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), NULL);

  return self->sender_reply;
}

/**
 * mail_smtp_result_get_data_reply:
 * @self: a #MailSmtpResult
 *
 * Returns: (transfer none) (nullable): the reply to the end of the message (or to a
 *   refused DATA), or %NULL if none came
 */
MailSmtpReply *
mail_smtp_result_get_data_reply (MailSmtpResult *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), NULL);

  return self->data_reply;
}

/**
 * mail_smtp_result_get_n_recipients:
 * @self: a #MailSmtpResult
 *
 * Returns: the number of envelope recipients
 */
guint
mail_smtp_result_get_n_recipients (MailSmtpResult *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), 0);

  return self->recipients->len;
}

/**
 * mail_smtp_result_get_recipient:
 * @self: a #MailSmtpResult
 * @index: a recipient's index
 *
 * Returns: the recipient's address as given
 */
const char *
mail_smtp_result_get_recipient (MailSmtpResult *self,
                                guint           index)
{
  Recipient *recipient = get_recipient (self, index);

  return recipient != NULL ? recipient->address : NULL;
}

/**
 * mail_smtp_result_get_recipient_accepted:
 * @self: a #MailSmtpResult
 * @index: a recipient's index
 *
 * Whether the server accepted this recipient, and the message then for everyone it
 * accepted. A recipient accepted at RCPT TO of a message that was finally refused (or
 * whose fate is unknown) does not count.
 *
 * Returns: whether the message was accepted for this recipient
 */
gboolean
mail_smtp_result_get_recipient_accepted (MailSmtpResult *self,
                                         guint           index)
{
  Recipient *recipient = get_recipient (self, index);

  return recipient != NULL && mail_smtp_result_get_accepted (self) && recipient->reply != NULL
         && mail_smtp_reply_is_positive (recipient->reply);
}

/**
 * mail_smtp_result_get_recipient_reply:
 * @self: a #MailSmtpResult
 * @index: a recipient's index
 *
 * Returns: (transfer none) (nullable): the reply to this recipient's RCPT TO, or %NULL
 *   if none came
 */
MailSmtpReply *
mail_smtp_result_get_recipient_reply (MailSmtpResult *self,
                                      guint           index)
{
  Recipient *recipient = get_recipient (self, index);

  return recipient != NULL ? recipient->reply : NULL;
}

/**
 * mail_smtp_result_get_recipient_code:
 * @self: a #MailSmtpResult
 * @index: a recipient's index
 *
 * Returns: the reply code for this recipient (250, 550...), or 0 if none came
 */
guint
mail_smtp_result_get_recipient_code (MailSmtpResult *self,
                                     guint           index)
{
  Recipient *recipient = get_recipient (self, index);

  return recipient != NULL && recipient->reply != NULL
         ? mail_smtp_reply_get_code (recipient->reply) : 0;
}

/**
 * mail_smtp_result_get_recipient_enhanced_code:
 * @self: a #MailSmtpResult
 * @index: a recipient's index
 *
 * Returns: (nullable): the enhanced status code for this recipient ("5.1.1"), or %NULL
 */
const char *
mail_smtp_result_get_recipient_enhanced_code (MailSmtpResult *self,
                                              guint           index)
{
  Recipient *recipient = get_recipient (self, index);

  return recipient != NULL && recipient->reply != NULL
         ? mail_smtp_reply_get_enhanced_code (recipient->reply) : NULL;
}

/**
 * mail_smtp_result_dup_recipient_text:
 * @self: a #MailSmtpResult
 * @index: a recipient's index
 *
 * Returns: (transfer full) (nullable): the server's text for this recipient, or %NULL
 */
char *
mail_smtp_result_dup_recipient_text (MailSmtpResult *self,
                                     guint           index)
{
  Recipient *recipient = get_recipient (self, index);

  return recipient != NULL && recipient->reply != NULL
         ? mail_smtp_reply_dup_text (recipient->reply) : NULL;
}

/**
 * mail_smtp_result_get_n_accepted:
 * @self: a #MailSmtpResult
 *
 * Returns: how many recipients the message was accepted for
 */
guint
mail_smtp_result_get_n_accepted (MailSmtpResult *self)
{
  guint n = 0;

  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), 0);

  for (guint i = 0; i < self->recipients->len; i++)
    if (mail_smtp_result_get_recipient_accepted (self, i))
      n++;

  return n;
}

/**
 * mail_smtp_result_get_n_rejected:
 * @self: a #MailSmtpResult
 *
 * Returns: how many recipients the server refused at RCPT TO
 */
guint
mail_smtp_result_get_n_rejected (MailSmtpResult *self)
{
  guint n = 0;

  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), 0);

  for (guint i = 0; i < self->recipients->len; i++)
    {
      Recipient *recipient = &g_array_index (self->recipients, Recipient, i);

      if (recipient->reply != NULL && !mail_smtp_reply_is_positive (recipient->reply))
        n++;
    }

  return n;
}

/**
 * mail_smtp_result_describe:
 * @self: a #MailSmtpResult
 *
 * Returns: (transfer full): a few sentences for people: the outcome, and each refused
 *   recipient with the server's reason
 */
char *
mail_smtp_result_describe (MailSmtpResult *self)
{
  g_autoptr (GString) text = g_string_new (NULL);

  g_return_val_if_fail (MAIL_IS_SMTP_RESULT (self), NULL);

  switch (self->outcome)
    {
    case MAIL_SMTP_OUTCOME_SENT:
      g_string_append (text, _("The message was accepted for every recipient."));
      break;

    case MAIL_SMTP_OUTCOME_PARTIAL:
      g_string_append (text, _("The message was accepted for some recipients only."));
      break;

    case MAIL_SMTP_OUTCOME_UNKNOWN:
      g_string_append (text, _("The message was sent, but the server did not confirm it; it "
                               "may have been delivered."));
      break;

    case MAIL_SMTP_OUTCOME_NOT_SENT:
    default:
      g_string_append (text, _("The message was not sent."));
      break;
    }

  for (guint i = 0; i < self->recipients->len; i++)
    {
      Recipient *recipient = &g_array_index (self->recipients, Recipient, i);
      g_autofree char *reason = NULL;

      if (recipient->reply == NULL || mail_smtp_reply_is_positive (recipient->reply))
        continue;

      reason = mail_smtp_reply_describe (recipient->reply);
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Refused for %s: %s."), recipient->address, reason);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
