/* mail-smtp-data.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the SMTP client puts on the wire besides commands, as pure functions: the
 * message after DATA, and the addresses of the envelope.
 *
 * SMTP smuggling (SEC Consult 2023, CERT VU#302671) works when a client lets a bare LF
 * or bare CR through and a server downstream reads "<LF>.<LF>" or "<CR>.<CR>" as the
 * end of data. So mail_smtp_data_encode() turns every line end a message may have (CRLF,
 * a lone LF, a lone CR) into CRLF, doubles a leading dot on every line, ends the last
 * line with CRLF and appends ".\r\n". After it, no CR or LF exists on the wire except as
 * part of a CRLF, and the only "CRLF.CRLF" is the real end.
 *
 * Envelope injection ("a@b>\r\nRCPT TO:<victim@c>") is stopped by
 * mail_smtp_address_check(), which refuses every control character, angle brackets and
 * anything else that is not an address, before any command is built.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-smtp"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-smtp-data.h"
#include "mail-smtp-error.h"

/**
 * mail_smtp_data_encode:
 * @data: (array length=length): the message (RFC 5322), any line ends
 * @length: its length
 * @info: (out caller-allocates) (optional): what was learned about the message
 * @error: return location for a #GError
 *
 * Makes the bytes to send after DATA's 354: line ends normalised to CRLF, dot-stuffed
 * (RFC 5321 §4.5.2), terminated by CRLF "." CRLF. A NUL byte anywhere is refused with
 * %MAIL_SMTP_ERROR_INVALID_MESSAGE: no server is obliged to carry it.
 *
 * Returns: (transfer full) (nullable): the bytes for the wire, or %NULL with @error set
 */
GBytes *
mail_smtp_data_encode (const guint8      *data,
                       gsize              length,
                       MailSmtpDataInfo  *info,
                       GError           **error)
{
  g_autoptr (GByteArray) out = NULL;
  MailSmtpDataInfo result = { 0, FALSE, FALSE };
  gboolean at_line_start = TRUE;
  gboolean in_header = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  out = g_byte_array_sized_new (length + length / 32 + 8);

  for (gsize i = 0; i < length; i++)
    {
      guint8 c = data[i];

      if (c == '\0')
        {
          g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE,
                               _("The message contains a NUL byte, which cannot be sent."));
          return NULL;
        }

      if (c == '\r' || c == '\n')
        {
          /* CRLF, or a lone CR or LF: all become one CRLF. */
          if (c == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;

          /* The first empty line ends the header. */
          if (at_line_start)
            in_header = FALSE;

          g_byte_array_append (out, (const guint8 *) "\r\n", 2);
          result.size += 2;
          at_line_start = TRUE;
          continue;
        }

      if (at_line_start && c == '.')
        g_byte_array_append (out, (const guint8 *) ".", 1);

      if (c >= 0x80)
        {
          result.has_8bit = TRUE;
          if (in_header)
            result.header_8bit = TRUE;
        }

      g_byte_array_append (out, &c, 1);
      result.size++;
      at_line_start = FALSE;
    }

  if (!at_line_start)
    {
      g_byte_array_append (out, (const guint8 *) "\r\n", 2);
      result.size += 2;
    }

  g_byte_array_append (out, (const guint8 *) ".\r\n", 3);

  if (info != NULL)
    *info = result;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
invalid_address (GError     **error,
                 const char  *address,
                 const char  *reason)
{
  g_autoptr (GString) shown = g_string_new (NULL);

  /* Show the address with its control characters visible, not acted upon. */
  for (const char *p = address; *p != '\0' && shown->len < 100; p++)
    {
      if (*p == '\r')
        g_string_append (shown, "\\r");
      else if (*p == '\n')
        g_string_append (shown, "\\n");
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (shown, "\\x%02x", (guint) (guchar) *p);
      else
        g_string_append_c (shown, *p);
    }

  g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS,
               _("The address “%s” cannot be used: %s."), shown->str, reason);

  return FALSE;
}

/* atext of RFC 5322 §3.2.3, and "." for dot-atoms. */
static gboolean
is_atext (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+-/=?^_`{|}~.", c) != NULL;
}

static gboolean
check_local_part (const char *local,
                  gsize       length,
                  gboolean   *non_ascii)
{
  *non_ascii = FALSE;

  if (length == 0 || length > 64)
    return FALSE;

  if (local[0] == '"')
    {
      if (length < 2 || local[length - 1] != '"')
        return FALSE;

      for (gsize i = 1; i < length - 1; i++)
        {
          guchar c = (guchar) local[i];

          if (c == '\\')
            {
              /* A quoted pair: the next character, whatever it is, but not the final
               * quote. */
              if (i + 1 >= length - 1)
                return FALSE;
              i++;
              c = (guchar) local[i];
            }
          else if (c == '"')
            return FALSE;

          if (c >= 0x80)
            *non_ascii = TRUE;
        }

      return TRUE;
    }

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) local[i];

      if (c >= 0x80)
        *non_ascii = TRUE;
      else if (!is_atext (c))
        return FALSE;
    }

  return TRUE;
}

static char *
domain_to_ascii (const char *domain)
{
  g_autofree char *ascii = NULL;
  gsize label_length = 0;

  if (domain[0] == '[')
    {
      gsize length = strlen (domain);

      if (length < 3 || domain[length - 1] != ']')
        return NULL;

      for (gsize i = 1; i < length - 1; i++)
        if ((guchar) domain[i] <= 0x20 || (guchar) domain[i] >= 0x7f
            || strchr ("[]\\", domain[i]) != NULL)
          return NULL;

      return g_strdup (domain);
    }

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL || ascii[0] == '\0' || strlen (ascii) > 253)
    return NULL;

  for (const char *p = ascii; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          /* No empty labels (so no final dot either), no hyphen at either end. */
          if (label_length == 0 || label_length > 63 || p[-1] == '-')
            return NULL;
          if (*p == '\0')
            break;
          label_length = 0;
          continue;
        }

      if (!g_ascii_isalnum (*p) && (*p != '-' || label_length == 0))
        return NULL;
      label_length++;
    }

  return g_steal_pointer (&ascii);
}

/**
 * mail_smtp_address_check:
 * @address: an address for the envelope, without angle brackets
 * @needs_smtputf8: (out) (optional): whether its local part is not ASCII, so that it
 *   can only be sent with SMTPUTF8 (a non-ASCII domain is sent in its ASCII form)
 * @error: return location for a #GError
 *
 * Checks that @address can go between the angle brackets of MAIL FROM or RCPT TO:
 * valid UTF-8, at most %MAIL_SMTP_MAX_ADDRESS_LENGTH octets, no control character at
 * all (CR and LF above all), a local part that is a dot-atom or a quoted string, and a
 * domain that is a host name (IDN allowed) or an address literal. Display names,
 * comments and angle brackets are not part of an envelope address and are refused.
 *
 * Returns: %TRUE when @address is usable; otherwise
 *   %MAIL_SMTP_ERROR_INVALID_ADDRESS
 */
gboolean
mail_smtp_address_check (const char  *address,
                         gboolean    *needs_smtputf8,
                         GError     **error)
{
  g_autofree char *ascii_domain = NULL;
  const char *at;
  gboolean non_ascii = FALSE;

  g_return_val_if_fail (address != NULL, FALSE);

  if (needs_smtputf8 != NULL)
    *needs_smtputf8 = FALSE;

  if (address[0] == '\0')
    return invalid_address (error, address, _("it is empty"));

  for (const char *p = address; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n')
        return invalid_address (error, address, _("it contains a line break"));
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return invalid_address (error, address, _("it contains a control character"));
    }

  if (!g_utf8_validate (address, -1, NULL))
    return invalid_address (error, address, _("it is not valid text"));

  if (strlen (address) > MAIL_SMTP_MAX_ADDRESS_LENGTH)
    return invalid_address (error, address, _("it is too long"));

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0')
    return invalid_address (error, address, _("it is not an e-mail address"));

  if (!check_local_part (address, at - address, &non_ascii))
    return invalid_address (error, address,
                            _("the part before the “@” has characters an address cannot have"));

  ascii_domain = domain_to_ascii (at + 1);
  if (ascii_domain == NULL)
    return invalid_address (error, address, _("the part after the “@” is not a domain"));

  if (needs_smtputf8 != NULL)
    *needs_smtputf8 = non_ascii;

  return TRUE;
}

/**
 * mail_smtp_address_to_envelope:
 * @address: an address that passed mail_smtp_address_check()
 * @smtputf8: whether the transaction uses SMTPUTF8
 * @error: return location for a #GError
 *
 * The form of @address for the envelope: as it is with SMTPUTF8; otherwise with the
 * domain in its ASCII (IDNA) form, which fails with %MAIL_SMTP_ERROR_SMTPUTF8_UNSUPPORTED
 * when the local part is not ASCII.
 *
 * Returns: (transfer full) (nullable): the envelope address, or %NULL with @error set
 */
char *
mail_smtp_address_to_envelope (const char  *address,
                               gboolean     smtputf8,
                               GError     **error)
{
  g_autofree char *ascii_domain = NULL;
  gboolean non_ascii = FALSE;
  const char *at;

  g_return_val_if_fail (address != NULL, NULL);

  if (!mail_smtp_address_check (address, &non_ascii, error))
    return NULL;

  if (smtputf8)
    return g_strdup (address);

  if (non_ascii)
    {
      g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_SMTPUTF8_UNSUPPORTED,
                   _("The address “%s” has non-ASCII characters before the “@”, and the "
                     "server does not accept such addresses (SMTPUTF8)."),
                   address);
      return NULL;
    }

  at = strrchr (address, '@');
  if (g_str_is_ascii (at + 1))
    return g_strdup (address);

  ascii_domain = domain_to_ascii (at + 1);

  return g_strdup_printf ("%.*s@%s", (int) (at - address), address, ascii_domain);
}

/**
 * mail_smtp_header_check:
 * @name: a header field name
 * @value: its value, decoded and unfolded
 * @error: return location for a #GError
 *
 * Refuses a header that could smuggle another header or end the header section: a
 * value holding CR or LF (after decoding: an encoded word that decodes to a line break
 * is refused too, since a later re-serialisation might write it raw), or a name that is
 * not 1 to 76 printable ASCII characters without ":".
 *
 * Returns: %TRUE when the header is safe; otherwise %MAIL_SMTP_ERROR_INVALID_MESSAGE
 */
gboolean
mail_smtp_header_check (const char  *name,
                        const char  *value,
                        GError     **error)
{
  gsize name_length;

  g_return_val_if_fail (name != NULL, FALSE);

  name_length = strlen (name);
  for (gsize i = 0; i < name_length; i++)
    if ((guchar) name[i] <= 0x20 || (guchar) name[i] >= 0x7f || name[i] == ':')
      {
        g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE,
                             _("The message has a header with an invalid name."));
        return FALSE;
      }

  if (name_length == 0 || name_length > 76)
    {
      g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE,
                           _("The message has a header with an invalid name."));
      return FALSE;
    }

  if (value != NULL && strpbrk (value, "\r\n") != NULL)
    {
      g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE,
                   _("The “%s” header of the message contains a line break, so the message "
                     "was not sent."),
                   name);
      return FALSE;
    }

  return TRUE;
}
