/* mail-tool.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <gmime/gmime.h>
#include <locale.h>
#include <stdio.h>

#include "mail-tool.h"

/* Subcommands are added here as the engine grows (check, detect, sync, list, send…). */
static const MailToolCommand commands[] = {
  { "check", N_("Connect to a server, secure the connection and sign in"), mail_tool_check },
  { "detect", N_("Find the server settings for an email address"), mail_tool_detect },
  { "account", N_("Add, list and remove accounts"), mail_tool_account },
  { "sync", N_("Sync an account into its local store"), mail_tool_sync },
  { "folders", N_("List an account’s folders"), mail_tool_folders },
  { "list", N_("List the messages of a folder"), mail_tool_list },
  { "show", N_("Print a message, fetching its body when needed"), mail_tool_show },
  { "search", N_("Search the local full-text index"), mail_tool_search },
  { "flag", N_("Change a message’s flags (read, starred …)"), mail_tool_flag },
  { "move", N_("Move a message to another folder"), mail_tool_move },
  { "delete", N_("Delete a message (to the Trash)"), mail_tool_delete },
  { "quota", N_("Print an account’s quota"), mail_tool_quota },
  { NULL, NULL, NULL },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n", _("Usage: mail-tool [--version] [--help] COMMAND [ARGS…]"));
  fprintf (stream, "\n%s\n", _("Drives the Mail engine without a display."));
  fprintf (stream, "\n%s\n", _("Commands:"));

  if (commands[0].name == NULL)
    fprintf (stream, "  %s\n", _("(none yet)"));
  for (guint i = 0; commands[i].name != NULL; i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));

  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  %-12s %s\n", "--help", _("Show this help and exit"));
  fprintf (stream, "  %-12s %s\n", "--version", _("Show the version and exit"));
  fprintf (stream, "\n%s\n", _("Run “mail-tool COMMAND --help” for a command’s options."));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Before any thread can parse or build a message. */
  g_mime_init ();

  if (argc < 2)
    {
      print_usage (stderr);
      return MAIL_TOOL_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return MAIL_TOOL_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("mail-tool %s\n", PACKAGE_VERSION);
      return MAIL_TOOL_EXIT_OK;
    }

  for (guint i = 0; commands[i].name != NULL; i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("mail-tool: unknown command “%s”\n"), argv[1]);
  g_printerr ("%s\n", _("Run “mail-tool --help” for the list of commands."));
  return MAIL_TOOL_EXIT_USAGE;
}
