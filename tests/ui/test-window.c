/* test-window.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Opens the application's window in a real display (Xvfb in the suites), drives the account
 * assistant through its widgets and actions, and saves what a person would see as PNGs in
 * the test artifacts.
 */

#include "config.h"

#include <adwaita.h>

#include "mail-account-assistant.h"
#include "mail-application.h"
#include "mail-test-util.h"
#include "mail-window.h"

static void
wait_frames (GtkWidget *widget,
             guint      frames)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 target;

  g_assert_nonnull (clock);
  target = gdk_frame_clock_get_frame_counter (clock) + frames;

  while (gdk_frame_clock_get_frame_counter (clock) < target)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (gtk_widget_get_mapped (widget));
}

/* Renders the window as the compositor would get it and saves it. */
static GdkTexture *
snapshot_window (GtkWidget  *window,
                 const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  GdkTexture *texture;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  path = mail_test_artifact_path ("screenshots", name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  return texture;
}

/* A blank or single-colour window has few distinct colours and no contrast; a page with
 * text, entries and a button has many of both. */
static void
assert_not_blank (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc ((gsize) height * stride);
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  guint min_luma = 255, max_luma = 0;

  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        const guchar *p = pixels + (gsize) y * stride + (gsize) x * 4;
        guint32 colour = (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
        guint luma = (p[0] * 3 + p[1] * 6 + p[2]) / 10;

        g_hash_table_add (colours, GUINT_TO_POINTER (colour));
        min_luma = MIN (min_luma, luma);
        max_luma = MAX (max_luma, luma);
      }

  g_test_message ("%u distinct colours, luma %u..%u", g_hash_table_size (colours), min_luma,
                  max_luma);
  g_assert_cmpuint (g_hash_table_size (colours), >, 50);
  g_assert_cmpuint (max_luma - min_luma, >, 128);
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type,
                 const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (title == NULL ||
           g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0))
        return child;

      found = find_descendant (child, type, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_window_shows_assistant (void)
{
  g_autoptr (MailApplication) app = mail_application_new ();
  g_autoptr (GdkTexture) empty = NULL;
  g_autoptr (GdkTexture) filled = NULL;
  g_autoptr (GError) error = NULL;
  MailAccountAssistant *assistant;
  GtkWidget *window;
  GtkWidget *address_row;
  GtkWidget *password_row;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (MAIL_IS_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  wait_mapped (window);
  wait_frames (window, 3);

  /* With no account yet, the window is the first page of the account assistant. */
  assistant = MAIL_ACCOUNT_ASSISTANT (mail_window_get_assistant (MAIL_WINDOW (window)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (assistant)));
  g_assert_false (mail_account_assistant_can_continue (assistant));

  empty = snapshot_window (window, "assistant.png");
  assert_not_blank (empty);

  /* Type an address and a password: Continue becomes available. */
  address_row = find_descendant (GTK_WIDGET (assistant), ADW_TYPE_ENTRY_ROW, "Email Address");
  password_row = find_descendant (GTK_WIDGET (assistant), ADW_TYPE_PASSWORD_ENTRY_ROW, NULL);
  g_assert_nonnull (address_row);
  g_assert_nonnull (password_row);

  gtk_editable_set_text (GTK_EDITABLE (address_row), "alice@example");
  gtk_editable_set_text (GTK_EDITABLE (password_row), "secret");
  g_assert_false (mail_account_assistant_can_continue (assistant));
  g_assert_true (gtk_widget_has_css_class (address_row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (address_row), "alice@example.test");
  g_assert_true (mail_account_assistant_can_continue (assistant));
  g_assert_false (gtk_widget_has_css_class (address_row, "error"));
  g_assert_cmpstr (mail_account_assistant_get_address (assistant), ==, "alice@example.test");

  wait_frames (window, 3);
  filled = snapshot_window (window, "assistant-filled.png");
  assert_not_blank (filled);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Screenshots show the settled state, not a frame of a transition. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/mail/ui/window/assistant", test_window_shows_assistant);

  return g_test_run ();
}
