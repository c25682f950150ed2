/* mail-store-error.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MAIL_STORE_ERROR:
 *
 * The error domain of the local store: the database and the body files.
 */
#define MAIL_STORE_ERROR (mail_store_error_quark ())

/**
 * MailStoreError:
 * @MAIL_STORE_ERROR_FAILED: the database reported an error not listed here
 * @MAIL_STORE_ERROR_BUSY: another connection (usually another program: Mail or
 *   mail-tool) held the database for longer than the busy timeout
 * @MAIL_STORE_ERROR_TOO_NEW: the database was written by a newer version of Mail; it
 *   is left untouched
 * @MAIL_STORE_ERROR_NOT_A_STORE: the file is not a database, or belongs to another
 *   application
 * @MAIL_STORE_ERROR_CORRUPT: the database is damaged
 * @MAIL_STORE_ERROR_FULL: the disk is full
 * @MAIL_STORE_ERROR_IO: a file of the store could not be read or written
 * @MAIL_STORE_ERROR_NOT_FOUND: the folder, message or action does not exist (any more)
 * @MAIL_STORE_ERROR_INVALID: the request cannot be carried out as asked (an empty search,
 *   a transaction already open, a folder name in use)
 *
 * Error codes of %MAIL_STORE_ERROR.
 */
typedef enum
{
  MAIL_STORE_ERROR_FAILED,
  MAIL_STORE_ERROR_BUSY,
  MAIL_STORE_ERROR_TOO_NEW,
  MAIL_STORE_ERROR_NOT_A_STORE,
  MAIL_STORE_ERROR_CORRUPT,
  MAIL_STORE_ERROR_FULL,
  MAIL_STORE_ERROR_IO,
  MAIL_STORE_ERROR_NOT_FOUND,
  MAIL_STORE_ERROR_INVALID,
} MailStoreError;

GQuark mail_store_error_quark (void);

G_END_DECLS
