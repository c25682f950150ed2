/* test-server-check.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pure parts of the server check: recognising a provider's "use an app password"
 * refusal, which the check reports as MAIL_ERROR_CATEGORY_APP_PASSWORD rather than as a
 * wrong password. (The check itself runs against servers in the live and hostile
 * suites.) */

#include "config.h"

#include "mail-server-check.h"

static void
test_app_password (void)
{
  const char *yes[] = {
    "[ALERT] Application-specific password required: https://support.example/apppass",
    "[WEBALERT https://accounts.example/] Web login required.",
    "535-5.7.9 Application-specific password required. Learn more at",
    "[AUTHENTICATIONFAILED] Please enable IMAP access in your settings",
    "-ERR [AUTH] Web login required",
    "Your account is not enabled for IMAP use.",
  };
  const char *no[] = {
    "[AUTHENTICATIONFAILED] Authentication failed.",
    "535 5.7.8 Error: authentication failed: (reason unavailable)",
    "-ERR [AUTH] Invalid login",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    g_assert_true (mail_server_check_text_asks_for_app_password (yes[i]));
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    g_assert_false (mail_server_check_text_asks_for_app_password (no[i]));
  g_assert_false (mail_server_check_text_asks_for_app_password (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/check/app-password-text", test_app_password);

  return g_test_run ();
}
