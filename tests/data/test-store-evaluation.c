/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-test"

#include "tw-project.h"
#include "tw-store-evaluation.h"
#include "tw-test-project.h"

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
add_project (Project           *p,
             const char        *geography,
             const char *const *geoids)
{
  g_autoptr(TwProject) project = tw_project_new ("Asthma action plans");
  g_autoptr(GError) error = NULL;
  gint64 id;

  project->geography = g_strdup (geography);
  for (guint i = 0; geoids[i] != NULL; i++)
    tw_project_take_area (project, geoids[i]);
  id = tw_project_add (p->store, project, &error);
  g_assert_no_error (error);
  return id;
}

/* A project's targets are its own areas, not another project's nor the same GEOIDs in
 * another geography. */
static void
test_target_areas (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GArray) targets = NULL, none = NULL;
  g_autoptr(GError) error = NULL;
  gint64 tracts = add_geography (p, "tracts"), counties = add_geography (p, "counties");
  gint64 a = add_area (p, tracts, "37001000100", 0, 0);
  gint64 b = add_area (p, tracts, "37001000200", 0.1, 0);
  gint64 c = add_area (p, tracts, "37001000300", 0.2, 0);
  const char *const ours[] = { "37001000300", "37001000100", NULL };
  const char *const theirs[] = { "37001000200", NULL };
  const char *const county[] = { "37001000100", NULL };
  gint64 project;

  add_area (p, counties, "37001000100", 0, 0);
  project = add_project (p, "tracts", ours);
  add_project (p, "tracts", theirs);
  add_project (p, "counties", county);

  targets = tw_store_list_target_area_ids (p->store, project, &error);
  g_assert_no_error (error);
  g_array_sort (targets, compare_ids);
  g_assert_cmpuint (targets->len, ==, 2);
  g_assert_cmpint (g_array_index (targets, gint64, 0), ==, MIN (a, c));
  g_assert_cmpint (g_array_index (targets, gint64, 1), ==, MAX (a, c));
  g_assert_cmpint (b, !=, g_array_index (targets, gint64, 0));

  none = tw_store_list_target_area_ids (p->store, project + 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Counting and finding areas stay inside one geography: a GEOID of another one is not an
 * area the evaluation may compare with. */
static void
test_count_and_find (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  gint64 tracts = add_geography (p, "tracts"), counties = add_geography (p, "counties");
  gint64 a = add_area (p, tracts, "37001000100", 0, 0);

  add_area (p, tracts, "37001000200", 0.1, 0);
  add_area (p, tracts, "37001000300", 0.2, 0);
  add_area (p, counties, "01001", 0, 0);

  g_assert_cmpint (tw_store_count_areas (p->store, tracts, &error), ==, 3);
  g_assert_cmpint (tw_store_count_areas (p->store, counties, &error), ==, 1);
  g_assert_cmpint (tw_store_count_areas (p->store, counties + 1, &error), ==, 0);
  g_assert_no_error (error);

  g_assert_cmpint (tw_store_find_area (p->store, tracts, "37001000100", &error), ==, a);
  g_assert_cmpint (tw_store_find_area (p->store, tracts, "01001", &error), ==, 0);
  g_assert_cmpint (tw_store_find_area (p->store, counties, "37001000100", &error), ==, 0);
  /* A GEOID is text: the same digits without the leading zero are another area. */
  g_assert_cmpint (tw_store_find_area (p->store, counties, "01001", &error), >, 0);
  g_assert_cmpint (tw_store_find_area (p->store, counties, "1001", &error), ==, 0);
  g_assert_no_error (error);
}

/* A project whose tables cannot be read gets an error, never a count or id made up. */
static void
test_sql_failure_is_an_error (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;

  exec (p, "ALTER TABLE area RENAME TO area_gone");
  g_assert_cmpint (tw_store_count_areas (p->store, 1, &error), ==, -1);
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL);
  g_clear_error (&error);
  g_assert_cmpint (tw_store_find_area (p->store, 1, "37001", &error), ==, -1);
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL);
  g_clear_error (&error);

  exec (p, "DROP TABLE project_area");
  g_assert_null (tw_store_list_target_area_ids (p->store, 1, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/store-evaluation/target-areas", test_target_areas);
  g_test_add_func ("/data/store-evaluation/count-and-find", test_count_and_find);
  g_test_add_func ("/data/store-evaluation/sql-failure", test_sql_failure_is_an_error);
  return g_test_run ();
}
