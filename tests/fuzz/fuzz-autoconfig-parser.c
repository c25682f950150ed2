/* fuzz-autoconfig-parser.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the config-v1.1 parser: the input is the document a hostile web
 * server or DNS answer could hand over, parsed with and without an address to substitute.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "mail-autoconfig-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_server (MailAutoconfigServer *server)
{
  /* What the parser hands on is a server one could connect to. */
  if (server->hostname == NULL || server->hostname[0] == '\0' || server->port == 0)
    abort ();
  if (!g_utf8_validate (server->hostname, -1, NULL))
    abort ();
  if (server->username != NULL && !g_utf8_validate (server->username, -1, NULL))
    abort ();
}

static void
parse (const char *data,
       gsize       size,
       const char *address)
{
  MailAutoconfigResult *result;
  GError *error = NULL;

  result = mail_autoconfig_parse (data, size, address, &error);
  if (result == NULL)
    {
      if (error == NULL || error->domain != MAIL_AUTOCONFIG_ERROR)
        abort ();
      g_error_free (error);
      return;
    }
  if (error != NULL)
    abort ();

  for (guint i = 0; i < result->incoming_servers->len; i++)
    check_server (g_ptr_array_index (result->incoming_servers, i));
  for (guint i = 0; i < result->outgoing_servers->len; i++)
    check_server (g_ptr_array_index (result->outgoing_servers, i));

  mail_autoconfig_result_free (result);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  parse ((const char *) data, size, "jane.doe@example.com");
  parse ((const char *) data, size, NULL);

  return 0;
}
