/* mail-imap-utf7.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Modified UTF-7, the mailbox name encoding of RFC 3501 section 5.1.3: printable US-ASCII
 * stands for itself ("&" is written "&-"), everything else is UTF-16 in a variant of
 * base64 (with "," for "/", no padding) between "&" and "-".
 *
 * The decoder accepts only the canonical form, so that one name has exactly one spelling:
 * it refuses a printable ASCII character hidden in base64, two encoded runs side by side,
 * stray or non-zero padding bits, broken surrogate pairs, an encoded U+0000 and any byte
 * outside printable ASCII. Mailbox names are identities; two spellings of one name would
 * let a server show one folder under another's name.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-imap-error.h"
#include "mail-imap-utf7.h"

static const char base64_chars[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static inline int
base64_value (guchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == ',')
    return 63;
  return -1;
}

static inline gboolean
is_direct (gunichar c)
{
  return c >= 0x20 && c <= 0x7e;
}

/**
 * mail_imap_utf7_is_identity:
 * @name: a mailbox name as the server sent it
 * @len: the length of @name in bytes
 *
 * Tells whether decoding @name would give @name unchanged: it is printable US-ASCII
 * without "&". The parser uses this to skip the decoder for nearly every name.
 *
 * Returns: %TRUE when @name stands for itself
 */
gboolean
mail_imap_utf7_is_identity (const char *name,
                            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) name[i];

      if (c == '&' || !is_direct (c))
        return FALSE;
    }

  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *reason)
{
  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
               _("The mailbox name is not valid modified UTF-7: %s"), reason);
  return FALSE;
}

/**
 * mail_imap_utf7_decode:
 * @utf7: a mailbox name in modified UTF-7
 * @len: the length of @utf7 in bytes, or -1 if it is NUL-terminated
 * @error: return location for a #GError
 *
 * Decodes a mailbox name from modified UTF-7 to UTF-8, accepting only the canonical
 * encoding (see the comment at the top of this file).
 *
 * Returns: (transfer full) (nullable): the name in UTF-8, or %NULL with
 *   %MAIL_IMAP_ERROR_PROTOCOL set when @utf7 is not valid
 */
char *
mail_imap_utf7_decode (const char  *utf7,
                       gssize       len,
                       GError     **error)
{
  g_autoptr (GString) out = NULL;
  const guchar *s = (const guchar *) utf7;
  gsize n;
  gsize i = 0;

  g_return_val_if_fail (utf7 != NULL || len == 0, NULL);

  n = len < 0 ? strlen (utf7) : (gsize) len;
  out = g_string_sized_new (n + 1);

  while (i < n)
    {
      guint32 bits = 0;
      guint nbits = 0;
      gunichar2 high = 0;

      if (!is_direct (s[i]))
        {
          invalid (error, _("it holds a byte outside printable ASCII"));
          return NULL;
        }

      if (s[i] != '&')
        {
          g_string_append_c (out, (char) s[i]);
          i++;
          continue;
        }

      i++;
      if (i < n && s[i] == '-')
        {
          g_string_append_c (out, '&');
          i++;
          continue;
        }

      for (; i < n && s[i] != '-'; i++)
        {
          int v = base64_value (s[i]);

          if (v < 0)
            {
              invalid (error, _("an encoded run holds a character outside its alphabet"));
              return NULL;
            }

          bits = (bits << 6) | (guint32) v;
          nbits += 6;

          if (nbits >= 16)
            {
              gunichar2 unit;
              gunichar c;

              nbits -= 16;
              unit = (gunichar2) ((bits >> nbits) & 0xffff);
              bits &= (1u << nbits) - 1;

              if (high != 0)
                {
                  if (unit < 0xdc00 || unit > 0xdfff)
                    {
                      invalid (error, _("a surrogate pair is broken"));
                      return NULL;
                    }
                  c = 0x10000 + (((gunichar) high - 0xd800) << 10) + ((gunichar) unit - 0xdc00);
                  high = 0;
                }
              else if (unit >= 0xd800 && unit <= 0xdbff)
                {
                  high = unit;
                  continue;
                }
              else if (unit >= 0xdc00 && unit <= 0xdfff)
                {
                  invalid (error, _("a surrogate pair is broken"));
                  return NULL;
                }
              else
                {
                  c = unit;
                }

              if (c == 0)
                {
                  invalid (error, _("it encodes a NUL character"));
                  return NULL;
                }
              if (is_direct (c))
                {
                  invalid (error, _("it encodes a character that must be written as itself"));
                  return NULL;
                }

              g_string_append_unichar (out, c);
            }
        }

      if (i >= n)
        {
          invalid (error, _("an encoded run is not terminated by “-”"));
          return NULL;
        }
      i++;

      if (high != 0)
        {
          invalid (error, _("a surrogate pair is broken"));
          return NULL;
        }
      if (nbits >= 6 || bits != 0)
        {
          invalid (error, _("an encoded run has stray bits at its end"));
          return NULL;
        }
      if (i + 1 < n && s[i] == '&' && s[i + 1] != '-')
        {
          invalid (error, _("two encoded runs follow each other"));
          return NULL;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
flush_bits (GString *out,
            guint32  bits,
            guint    nbits)
{
  if (nbits > 0)
    g_string_append_c (out, base64_chars[(bits << (6 - nbits)) & 0x3f]);
  g_string_append_c (out, '-');
}

/**
 * mail_imap_utf7_encode:
 * @utf8: a mailbox name in UTF-8
 * @len: the length of @utf8 in bytes, or -1 if it is NUL-terminated
 * @error: return location for a #GError
 *
 * Encodes a mailbox name in modified UTF-7, for servers that have not enabled UTF8=ACCEPT.
 *
 * Returns: (transfer full) (nullable): the encoded name, or %NULL with
 *   %MAIL_IMAP_ERROR_UNSENDABLE set when @utf8 is not valid UTF-8 or holds a NUL
 */
char *
mail_imap_utf7_encode (const char  *utf8,
                       gssize       len,
                       GError     **error)
{
  g_autoptr (GString) out = NULL;
  const char *end;
  const char *p;
  gboolean in_run = FALSE;
  guint32 bits = 0;
  guint nbits = 0;
  gsize n;

  g_return_val_if_fail (utf8 != NULL || len == 0, NULL);

  n = len < 0 ? strlen (utf8) : (gsize) len;
  if (!g_utf8_validate_len (utf8, n, NULL))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
                   _("The mailbox name is not valid UTF-8 or contains a NUL character"));
      return NULL;
    }

  out = g_string_sized_new (n + n / 2 + 2);
  end = utf8 + n;

  for (p = utf8; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar2 units[2];
      guint n_units;

      if (is_direct (c))
        {
          if (in_run)
            {
              flush_bits (out, bits, nbits);
              in_run = FALSE;
              bits = 0;
              nbits = 0;
            }
          if (c == '&')
            g_string_append (out, "&-");
          else
            g_string_append_c (out, (char) c);
          continue;
        }

      if (!in_run)
        {
          g_string_append_c (out, '&');
          in_run = TRUE;
        }

      if (c >= 0x10000)
        {
          units[0] = (gunichar2) (0xd800 + ((c - 0x10000) >> 10));
          units[1] = (gunichar2) (0xdc00 + ((c - 0x10000) & 0x3ff));
          n_units = 2;
        }
      else
        {
          units[0] = (gunichar2) c;
          n_units = 1;
        }

      for (guint u = 0; u < n_units; u++)
        {
          bits = (bits << 16) | units[u];
          nbits += 16;
          while (nbits >= 6)
            {
              nbits -= 6;
              g_string_append_c (out, base64_chars[(bits >> nbits) & 0x3f]);
            }
          bits &= (1u << nbits) - 1;
        }
    }

  if (in_run)
    flush_bits (out, bits, nbits);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
