/* mail-tool.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mail-certificate-info.h"

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand. */
enum {
  MAIL_TOOL_EXIT_OK = 0,
  MAIL_TOOL_EXIT_FAILED = 1,
  MAIL_TOOL_EXIT_USAGE = 2,
  MAIL_TOOL_EXIT_CANCELLED = 130,
};

/* A subcommand: argv[0] is the subcommand's name. */
typedef int (*MailToolCommandFunc) (int argc, char **argv);

typedef struct
{
  const char          *name;
  const char          *summary;
  MailToolCommandFunc  run;
} MailToolCommand;

int   mail_tool_check                (int                   argc,
                                      char                **argv);
int   mail_tool_detect               (int                   argc,
                                      char                **argv);

char *mail_tool_read_password        (GError              **error);
void  mail_tool_json_add_strv        (JsonBuilder          *builder,
                                      const char           *name,
                                      char * const         *values);
void  mail_tool_json_add_certificate (JsonBuilder          *builder,
                                      MailCertificateInfo  *info);
void  mail_tool_json_print           (JsonBuilder          *builder);

G_END_DECLS
