/* mail-tool-util.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What several subcommands share: reading the password, and JSON output. */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "mail-tool.h"

char *
mail_tool_read_password (GError **error)
{
  g_autoptr (GString) password = g_string_new (NULL);
  int c;

  /* One line; the line end is not part of the password. */
  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (password, (char) c);
  if (password->len > 0 && password->str[password->len - 1] == '\r')
    g_string_truncate (password, password->len - 1);

  if (password->len == 0 && c == EOF)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("--password-stdin was given but standard input holds no password"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&password), FALSE);
}

void
mail_tool_json_add_strv (JsonBuilder  *builder,
                         const char   *name,
                         char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          GDateTime   *date)
{
  g_autofree char *text = date != NULL ? g_date_time_format_iso8601 (date) : NULL;

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

void
mail_tool_json_add_certificate (JsonBuilder         *builder,
                                MailCertificateInfo *info)
{
  g_auto (GStrv) problems = mail_certificate_info_dup_problem_names (info);
  g_auto (GStrv) descriptions = mail_certificate_info_dup_problems (info);

  json_builder_set_member_name (builder, "certificate");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fingerprint_sha256");
  json_builder_add_string_value (builder, mail_certificate_info_get_fingerprint (info));
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, mail_certificate_info_get_subject (info));
  json_builder_set_member_name (builder, "issuer");
  json_builder_add_string_value (builder, mail_certificate_info_get_issuer (info));
  add_date (builder, "not_before", mail_certificate_info_get_not_before (info));
  add_date (builder, "not_after", mail_certificate_info_get_not_after (info));
  json_builder_set_member_name (builder, "self_signed");
  json_builder_add_boolean_value (builder, mail_certificate_info_is_self_signed (info));
  mail_tool_json_add_strv (builder, "problems", problems);
  mail_tool_json_add_strv (builder, "problem_descriptions", descriptions);
  json_builder_set_member_name (builder, "pem");
  json_builder_add_string_value (builder, mail_certificate_info_get_pem (info));
  json_builder_end_object (builder);
}

void
mail_tool_json_print (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
