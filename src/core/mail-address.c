/* mail-address.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mail-address.h"

static gboolean
local_part_is_plausible (const char *local_part,
                         gsize       length)
{
  if (length == 0 || length > 64)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) local_part[i];

      /* Spaces, controls and the characters that separate addresses in a header are never
       * part of an address a person types into a setup form. */
      if (c <= 0x20 || c == 0x7f || strchr ("<>(),;:@\\\"[]", c) != NULL)
        return FALSE;
    }

  return local_part[0] != '.' && local_part[length - 1] != '.';
}

static gboolean
domain_is_plausible (const char *domain)
{
  g_autofree char *ascii = NULL;
  g_auto (GStrv) labels = NULL;

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL || strlen (ascii) > 253 || g_hostname_is_ip_address (ascii))
    return FALSE;

  labels = g_strsplit (ascii, ".", -1);
  if (g_strv_length (labels) < 2)
    return FALSE;

  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize length = strlen (labels[i]);

      if (length == 0 || length > 63 || labels[i][0] == '-' || labels[i][length - 1] == '-')
        return FALSE;

      for (gsize j = 0; j < length; j++)
        if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
          return FALSE;
    }

  return TRUE;
}

/**
 * mail_address_parse:
 * @address: an email address as a person typed it
 * @local_part: (out) (optional) (transfer full): the part before the last "@"
 * @domain: (out) (optional) (transfer full): the domain, lower case, in Unicode
 *
 * Checks that @address looks like a mailbox a person can set up: one local part, an "@",
 * and a domain of at least two labels (internationalised domains are accepted). Surrounding
 * white space is ignored.
 *
 * Returns: %TRUE when @address is plausible
 */
gboolean
mail_address_parse (const char  *address,
                    char       **local_part,
                    char       **domain)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *unicode_domain = NULL;
  const char *at;

  if (local_part != NULL)
    *local_part = NULL;
  if (domain != NULL)
    *domain = NULL;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return FALSE;

  trimmed = g_strstrip (g_strdup (address));
  at = strrchr (trimmed, '@');
  if (at == NULL || !local_part_is_plausible (trimmed, at - trimmed))
    return FALSE;

  unicode_domain = g_utf8_strdown (at + 1, -1);
  if (!domain_is_plausible (unicode_domain))
    return FALSE;

  if (local_part != NULL)
    *local_part = g_strndup (trimmed, at - trimmed);
  if (domain != NULL)
    {
      char *display = g_hostname_to_unicode (unicode_domain);

      *domain = display != NULL ? display : g_steal_pointer (&unicode_domain);
    }

  return TRUE;
}
