/* main.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gmime/gmime.h>
#include <locale.h>

#include "mail-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (MailApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Before any thread can parse or build a message. */
  g_mime_init ();

  app = mail_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
