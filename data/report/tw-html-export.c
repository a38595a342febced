/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-html-export"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tw-arcs.h"
#include "tw-export-private.h"
#include "tw-export.h"
#include "tw-format.h"
#include "tw-html-export.h"
#include "tw-policy-text.h"

#include <unicode/unum.h>
#include <unicode/ustring.h>
#include "tw-store-catalog.h"
#include "tw-store-policy.h"

/* The map's longer side in the SVG's units, and the room around the region (as the page
 * export's MAP_PADDING). */
#define VIEW_SIZE 1000.0
#define VIEW_PADDING 0.0125
/* As the page export: more counties than a map can show apart make a grey mesh. */
#define MAX_COUNTY_OUTLINES 800
/* Borders are simplified to this many units: about a third of a pixel on a full-HD
 * screen, where the map is some 1,300 pixels wide. */
#define SIMPLIFY_UNITS 0.3
/* The hatching's spacing on screen, in pixels, as the renderer's HATCH_SPACING. */
#define HATCH_PIXELS 6
/* And the unreliable hatch's. */
#define UNRELIABLE_HATCH_PIXELS 10

/* Every word the page says, in each language. */
typedef struct
{
  const char *code;
  const char *all_groups;
  const char *group;            /* "Group: %s" */
  const char *percent;
  const char *rate_per;         /* "Rate per %s" */
  const char *proportion_per;
  const char *legend;
  const char *legend_areas;
  const char *suppressed_row;   /* "Suppressed (fewer than %u events)" */
  const char *no_data;
  const char *map_label;        /* "Map: %s" */
  const char *map_help;
  const char *skip_to_table;
  const char *details;
  const char *details_hint;
  const char *table_caption;
  const char *col_area, *col_geoid, *col_count, *col_denominator, *col_interval;
  const char *col_rank, *col_status;
  const char *status_shown, *status_suppressed, *status_no_data;
  const char *unreliable_row;   /* "Unreliable — %s", the policy's rule (rule_words) */
  const char *complementary_row;
  const char *not_applicable_row;
  const char *unstable;         /* after a rate in an area's label */
  const char *sort_hint;
  const char *hatch_note;
  const char *source;           /* "Source: %s. Boundaries: %s. Made with Tractwise %s on %s." */
  const char *project_data;
  /* The suppression footnote, where the policy's description is English: no counts
   * hidden (%u unstable below); then 1 … %u hidden (%s, k = %u) … %u unstable below. */
  const char *policy_none;
  const char *policy;
} HtmlWords;

static const HtmlWords words[] = {
  [TW_HTML_LANGUAGE_EN] = {
    "en", "All groups", "Group: %s", "Percent", "Rate per %s", "Proportion per %s",
    "Legend", "areas", "Suppressed (fewer than %u events)", "No data",
    "Map: %s",
    "Tab moves into the map; the arrow keys move between neighbouring areas, Enter keeps "
    "an area's details shown, Escape lets them go. The table below holds every figure.",
    "Skip to the table",
    "Details", "Point at an area, or move to it with Tab and the arrow keys.",
    "The areas of the map and their figures",
    "Area", "GEOID", "Count", "Denominator", "95% interval", "Rank", "Status",
    "Shown", "Suppressed", "No data",
    "Unreliable — %s", "Suppressed to protect another area", "Not applicable (no population)",
    "unreliable",
    "Choose a column's heading to sort the table by it.",
    "Areas hatched over a pale fill are suppressed; areas hatched the other way over their "
    "class colour are unreliable; grey areas have no data.",
    "Source: %s. Boundaries: %s. Made with Tractwise %s on %s.",
    "project outcome data",
    /* The policy's own words (tw_policy_text_describe). */
    NULL, NULL,
  },
  [TW_HTML_LANGUAGE_ES] = {
    "es", "Todos los grupos", "Grupo: %s", "Porcentaje", "Tasa por %s", "Proporción por %s",
    "Leyenda", "áreas", "Suprimida (menos de %u eventos)", "Sin datos",
    "Mapa: %s",
    "Tab entra en el mapa; las flechas pasan de un área a sus vecinas, Intro mantiene "
    "visibles los detalles de un área y Escape los libera. La tabla de abajo contiene "
    "todas las cifras.",
    "Ir a la tabla",
    "Detalles", "Señale un área o llegue a ella con Tab y las flechas.",
    "Las áreas del mapa y sus cifras",
    /* "95 %" in Spanish, never broken before its sign. */
    "Área", "GEOID", "Casos", "Denominador", "Intervalo de confianza del 95\u00a0%",
    "Posición", "Estado",
    "Publicada", "Suprimida", "Sin datos",
    "Poco fiable — %s", "Suprimida para proteger otra área", "No aplicable (sin población)",
    "poco fiable",
    "Elija el encabezado de una columna para ordenar la tabla por ella.",
    "Las áreas rayadas sobre fondo claro están suprimidas; las rayadas en el otro sentido "
    "sobre el color de su clase son poco fiables; las áreas grises no tienen datos.",
    "Fuente: %s. Límites: %s. Hecho con Tractwise %s el %s.",
    "datos de resultados del proyecto",
    "No se suprime ningún recuento (umbral propio k = 1); las tasas calculadas con menos de "
    "%u eventos se marcan como poco fiables.",
    "Los recuentos de 1 a %u, y toda cifra calculada a partir de ellos, se suprimen (%s, "
    "k = %u), con supresión complementaria para que ninguno pueda recuperarse; las tasas "
    "calculadas con menos de %u eventos se marcan como poco fiables.",
  },
};

/* The page's style. Colours that come from the map are set per page (write_map_style). */
static const char page_style[] =
  "*{box-sizing:border-box}"
  "body{margin:0;font:15px/1.45 Cantarell,'DejaVu Sans','Segoe UI',Arial,sans-serif;"
  "color:#1e1e1e;background:#fff}"
  "header{padding:12px 20px 4px}"
  "h1{font-size:1.55em;margin:0 0 2px;line-height:1.2}"
  ".subtitle{margin:0;color:#555}"
  ".skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;"
  "padding:4px 8px;z-index:2}"
  "main{display:flex;flex-wrap:wrap;gap:8px 20px;padding:4px 20px}"
  ".map{flex:1 1 560px;min-width:0;margin:0}"
  "#tw-map{display:block;width:100%;height:calc(100vh - 150px);min-height:320px;"
  "max-height:900px}"
  "#tw-areas path{stroke:var(--outline);stroke-width:0.5px;vector-effect:non-scaling-stroke;"
  "stroke-opacity:.8}"
  "#tw-map:focus,#tw-areas path:focus{outline:none}"
  ".county,.state{fill:none;pointer-events:none;vector-effect:non-scaling-stroke;"
  "stroke-linejoin:round;stroke-linecap:round}"
  ".county{stroke-width:.75px}.state{stroke-width:1.3px}"
  "#tw-hover,#tw-focus{fill:none;pointer-events:none;vector-effect:non-scaling-stroke}"
  "#tw-hover{stroke:var(--hover);stroke-width:2px}"
  "#tw-focus{stroke:var(--selection);stroke-width:3px}"
  "aside{flex:0 1 300px;min-width:240px}"
  "h2{font-size:1.05em;margin:10px 0 6px}"
  ".legend{list-style:none;margin:0;padding:0}"
  ".legend li{display:flex;align-items:center;gap:8px;margin:3px 0}"
  ".legend svg{flex:none;border:1px solid #bbb}"
  ".legend .n{margin-left:auto;color:#555;font-variant-numeric:tabular-nums}"
  ".legend .head{color:#555;font-size:.85em}"
  "#tw-details{border:1px solid #ccc;border-radius:6px;padding:8px 12px;min-height:90px}"
  "#tw-details h3{margin:0 0 4px;font-size:1em}"
  "#tw-details dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0}"
  "#tw-details dt{color:#555}#tw-details dd{margin:0}"
  ".hint{color:#555;font-size:.9em}"
  ".notes{flex:1 1 100%;font-size:.85em;color:#555;margin:0}"
  ".table{flex:1 1 100%;overflow-x:auto}"
  "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}"
  "caption{text-align:left;font-weight:bold;padding:6px 0}"
  "th,td{padding:4px 8px;border-bottom:1px solid #ddd;text-align:right}"
  "th[scope=row],td.t,thead th.t{text-align:left}"
  "thead th{background:#f6f5f4;position:sticky;top:0}"
  "thead button{font:inherit;font-weight:bold;background:none;border:0;padding:0;"
  "cursor:pointer;color:inherit;text-align:inherit}"
  "thead th[aria-sort=ascending] button::after{content:' \\25B2'}"
  "thead th[aria-sort=descending] button::after{content:' \\25BC'}"
  "tbody tr{cursor:pointer}tbody tr:hover,tbody tr.on{background:#eef4fc}"
  "td.u{font-style:italic}"
  "@media (max-width:860px){#tw-map{height:60vh}aside{flex:1 1 100%}}";

/* The page's script: hover, keyboard navigation, the details panel, sorting the table.
 * Allowed by its hash in the Content-Security-Policy, so keep it constant. */
static const char page_script[] =
  "(function(){'use strict';\n"
  "var svg=document.getElementById('tw-map'),g=document.getElementById('tw-areas'),\n"
  "hover=document.getElementById('tw-hover'),focus=document.getElementById('tw-focus'),\n"
  "panel=document.getElementById('tw-details'),hint=panel.innerHTML,\n"
  "table=document.getElementById('tw-table'),body=table.tBodies[0],\n"
  "heads=table.tHead.rows[0].cells,paths=g.getElementsByTagName('path'),\n"
  "current=null,pinned=null,lit=null;\n"
  "function row(p){return document.getElementById('r'+p.id.slice(1));}\n"
  "function area(r){return document.getElementById('a'+r.id.slice(1));}\n"
  "function show(p){\n"
  " if(lit){lit.classList.remove('on');lit=null;}\n"
  " if(!p){panel.innerHTML=hint;return;}\n"
  " var r=row(p),h=document.createElement('h3'),dl=document.createElement('dl');\n"
  " h.textContent=r.cells[0].textContent;\n"
  " for(var i=1;i<r.cells.length;i++){var dt=document.createElement('dt'),\n"
  "  dd=document.createElement('dd');dt.textContent=heads[i].textContent;\n"
  "  dd.textContent=r.cells[i].textContent;dl.appendChild(dt);dl.appendChild(dd);}\n"
  " panel.textContent='';panel.appendChild(h);panel.appendChild(dl);\n"
  " r.classList.add('on');lit=r;}\n"
  "function outline(el,p){el.setAttribute('d',p?p.getAttribute('d'):'');}\n"
  "function settle(){var p=pinned||current;outline(focus,p);show(p);}\n"
  "function goTo(p){if(!p)return;if(current)current.setAttribute('tabindex','-1');\n"
  " p.setAttribute('tabindex','0');p.focus();}\n"
  "function centre(p){if(!p.twc){var b=p.getBBox();p.twc=[b.x+b.width/2,b.y+b.height/2];}\n"
  " return p.twc;}\n"
  "/* The nearest area within 45 degrees of the arrow's way, else the nearest that way. */\n"
  "function step(p,dx,dy){var c=centre(p),best=null,score=Infinity;\n"
  " for(var pass=0;pass<2&&!best;pass++)for(var i=0;i<paths.length;i++){var q=paths[i];\n"
  "  if(q===p)continue;var d=centre(q),vx=d[0]-c[0],vy=d[1]-c[1],along=vx*dx+vy*dy,\n"
  "   across=Math.abs(vx*dy-vy*dx);if(along<=0||(pass===0&&across>along))continue;\n"
  "  var s=along+2*across;if(s<score){score=s;best=q;}}\n"
  " return best;}\n"
  "g.addEventListener('mouseover',function(e){var p=e.target;if(p.tagName!=='path')return;\n"
  " outline(hover,p);show(p);});\n"
  "g.addEventListener('mouseleave',function(){outline(hover,null);settle();});\n"
  "function inMap(e){return e.target.parentNode===g;}\n"
  "/* On the document: Chromium makes an SVG element with focus listeners focusable. */\n"
  "document.addEventListener('focusin',function(e){if(!inMap(e))return;current=e.target;\n"
  " settle();});\n"
  "document.addEventListener('focusout',function(e){if(!inMap(e))return;current=null;\n"
  " settle();});\n"
  "g.addEventListener('click',function(e){var p=e.target;if(p.tagName!=='path')return;\n"
  " pinned=p;goTo(p);settle();});\n"
  "var moves={ArrowLeft:[-1,0],ArrowRight:[1,0],ArrowUp:[0,-1],ArrowDown:[0,1]};\n"
  "document.addEventListener('keydown',function(e){if(!inMap(e))return;\n"
  " var p=e.target,m=moves[e.key];\n"
  " if(m)goTo(step(p,m[0],m[1]));\n"
  " else if(e.key==='Home')goTo(paths[0]);\n"
  " else if(e.key==='End')goTo(paths[paths.length-1]);\n"
  " else if(e.key==='Enter'||e.key===' ')pinned=pinned===p?null:p;\n"
  " else if(e.key==='Escape')pinned=null;\n"
  " else return;\n"
  " e.preventDefault();settle();});\n"
  "body.addEventListener('click',function(e){var r=e.target.closest('tr');if(!r)return;\n"
  " var p=area(r);pinned=p;goTo(p);settle();});\n"
  "function key(r,c,text){var cell=r.cells[c];\n"
  " if(text)return cell.textContent;var v=cell.getAttribute('data-v');\n"
  " return v===null?null:parseFloat(v);}\n"
  "Array.prototype.forEach.call(heads,function(th,c){var b=th.querySelector('button');\n"
  " b.addEventListener('click',function(){\n"
  "  var up=th.getAttribute('aria-sort')!=='ascending',text=th.classList.contains('t'),\n"
  "   rows=Array.prototype.slice.call(body.rows);\n"
  "  rows.sort(function(x,y){var a=key(x,c,text),b=key(y,c,text);\n"
  "   if(a===null||b===null)return a===null?(b===null?0:1):-1;\n"
  "   var o=text?a.localeCompare(b):a-b;return up?o:-o;});\n"
  "  rows.forEach(function(r){body.appendChild(r);});\n"
  "  Array.prototype.forEach.call(heads,function(h){h.setAttribute('aria-sort','none');});\n"
  "  th.setAttribute('aria-sort',up?'ascending':'descending');});});\n"
  "function measure(){var r=svg.getBoundingClientRect(),vb=svg.viewBox.baseVal,\n"
  " k=Math.min(r.width/vb.width,r.height/vb.height)||1,\n"
  " pats=svg.querySelectorAll('pattern');\n"
  " Array.prototype.forEach.call(pats,function(p){\n"
  "  p.setAttribute('patternTransform','scale('+(1/k)+')');});\n"
  " svg.setAttribute('data-screen-box',[r.left+window.scrollX,r.top+window.scrollY,\n"
  "  r.width,r.height].map(function(v){return v.toFixed(1);}).join(' '));}\n"
  "window.addEventListener('resize',measure);measure();\n"
  "var asked=/^#sort=(-?)([0-9])$/.exec(location.hash);\n"
  "if(asked&&heads[asked[2]]){var b=heads[asked[2]].querySelector('button');b.click();\n"
  " if(asked[1])b.click();}\n"
  "})();\n";

G_STATIC_ASSERT (G_N_ELEMENTS (words) == TW_HTML_LANGUAGE_ES + 1);

/* A pattern of the words table filled in. The patterns are not literals, so the compiler
 * cannot check them; each is written for the arguments its comment in HtmlWords names. */
static char *
fill_words (const char *pattern,
            ...)
{
  va_list args;
  char *text;

  va_start (args, pattern);
  text = g_strdup_vprintf (pattern, args);
  va_end (args);
  return text;
}

/* The policy's rule for an unreliable figure, as the window's legend says it
 * (tw_policy_text_rule_short), in the page's language: its own words, as the page's
 * language is chosen apart from the reader's. */
static char *
rule_words (const HtmlWords           *w,
            const TwSuppressionPolicy *policy)
{
  TwReliabilityRule rule = tw_figure_status_get_rule (policy);
  gboolean es = g_str_equal (w->code, "es");

  switch (rule.kind)
    {
    case TW_RELIABILITY_NONE:
      return g_strdup (es ? "ninguna cifra se marca como poco fiable"
                       : "no figure is marked unreliable");
    case TW_RELIABILITY_EVENTS_AT_MOST:
      return g_strdup_printf (es ? "%u eventos o menos" : "%u or fewer events", rule.events);
    case TW_RELIABILITY_NCHS_RATES:
      return g_strdup_printf (es ? "menos de %u eventos o intervalo mayor que el %.0f %% de "
                              "la tasa" : "fewer than %u events or interval over %.0f%% of "
                              "the rate", rule.events, 100.0 * rule.max_relative_width);
    case TW_RELIABILITY_NCHS_PROPORTIONS:
      return g_strdup (es ? "normas del NCHS para proporciones"
                       : "NCHS standards for proportions");
    case TW_RELIABILITY_RSE:
      return g_strdup_printf (es ? "error estándar relativo del %.0f %% o más"
                              : "RSE %.0f%% or more", 100.0 * rule.max_rse);
    case TW_RELIABILITY_EVENTS_BELOW:
    default:
      return g_strdup_printf (es ? "menos de %u eventos" : "fewer than %u events",
                              rule.events);
    }
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  g_autofree char *escaped = g_markup_escape_text (valid, -1);

  g_string_append (out, escaped);
}

/* Appends the formatted text, escaped. */
static void G_GNUC_PRINTF (2, 3)
append_escaped_printf (GString    *out,
                       const char *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  append_escaped (out, text);
}

static void
append_color (GString *out,
              guint32  color)
{
  g_string_append_printf (out, "#%06x", color & 0xffffff);
}

/* A count or denominator as printed: apportioned ones to a tenth. */
static double
round_count (double value)
{
  return value == floor (value) ? value : round (value * 10) / 10;
}

/* A count or denominator: whole numbers grouped ("12,345"); apportioned ones with a
 * decimal, as the window's table prints them. */
static char *
format_count (double value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    return tw_format_count ((gint64) value, NULL);
  return g_strdup_printf ("%.1f", value);
}

/* One English-written number ("12,345.6") as the reader's language writes it, by ICU's
 * locale data (CLDR): "12.345,6" in Spanish. The figure keeps its decimals. */
static void
append_localized_number (GString    *out,
                         const char *number,
                         gsize       length,
                         const char *locale)
{
  g_autofree char *plain = g_strndup (number, length);
  const char *point = strchr (plain, '.');
  int decimals = point != NULL ? (int) strlen (point + 1) : 0;
  UErrorCode status = U_ZERO_ERROR;
  UNumberFormat *format;
  UChar text[64];
  char utf8[192];
  int32_t n;

  for (char *from = plain, *to = plain;; from++)
    if (*from != ',' && (*to++ = *from) == '\0')
      break;
  format = unum_open (UNUM_DECIMAL, NULL, 0, locale, NULL, &status);
  if (U_SUCCESS (status))
    {
      unum_setAttribute (format, UNUM_GROUPING_USED, 1);
      /* The locale's own: Spanish groups from 10 000 on. */
      unum_setAttribute (format, UNUM_MINIMUM_GROUPING_DIGITS,
                         UNUM_MINIMUM_GROUPING_DIGITS_AUTO);
      unum_setAttribute (format, UNUM_MIN_FRACTION_DIGITS, decimals);
      unum_setAttribute (format, UNUM_MAX_FRACTION_DIGITS, decimals);
      n = unum_formatDouble (format, g_ascii_strtod (plain, NULL), text, G_N_ELEMENTS (text),
                             NULL, &status);
      if (U_SUCCESS (status))
        u_strToUTF8 (utf8, sizeof utf8, NULL, text, n, &status);
      unum_close (format);
    }
  /* ICU without data for the language: the figure as written. */
  g_string_append (out, U_SUCCESS (status) ? utf8 : plain);
}

/* @text (taken) with every figure in it written as @w's language writes numbers. */
static char *
localize (const HtmlWords *w,
          char            *text)
{
  g_autoptr(GString) out = NULL;
  const char *c = text;

  if (text == NULL || g_str_equal (w->code, "en"))
    return text;
  out = g_string_sized_new (strlen (text) + 8);
  while (*c != '\0')
    {
      const char *end = c;

      if (!g_ascii_isdigit (*c))
        {
          g_string_append_c (out, *c++);
          continue;
        }
      /* 1,234,567.89: digits, groups of three after commas, a point and decimals. */
      while (g_ascii_isdigit (*end) || (*end == ',' && g_ascii_isdigit (end[1])
                                        && g_ascii_isdigit (end[2]) && g_ascii_isdigit (end[3])
                                        && !g_ascii_isdigit (end[4])))
        end += *end == ',' ? 4 : 1;
      if (*end == '.' && g_ascii_isdigit (end[1]))
        for (end++; g_ascii_isdigit (*end); end++)
          ;
      append_localized_number (out, c, end - c, w->code);
      c = end;
    }
  g_free (text);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
unit_text (TwChoropleth   *map,
           const HtmlWords *w)
{
  g_autofree char *unit = tw_choropleth_format_unit (map);

  if (g_str_equal (unit, "%"))
    return g_strdup (w->percent);
  /* "per 1,000": the number after the English word. */
  return localize (w, fill_words (tw_choropleth_is_proportion (map) ? w->proportion_per
                                                                     : w->rate_per,
                                  g_str_has_prefix (unit, "per ") ? unit + 4 : unit));
}

static char *
group_text (TwChoropleth    *map,
            const HtmlWords *w)
{
  const char *stratum = tw_choropleth_get_stratum (map);

  if (stratum == NULL || g_str_equal (stratum, "all"))
    return g_strdup (w->all_groups);
  return fill_words (w->group, stratum);
}

static char *
footnote_text (TwChoropleth    *map,
               const HtmlWords *w)
{
  const TwSuppressionPolicy *p = tw_choropleth_get_policy (map);
  g_autofree char *policy = NULL;

  if (w->policy == NULL)
    policy = tw_policy_text_describe (p);
  else if (p->min_count <= 1)
    policy = fill_words (w->policy_none, p->unstable_below);
  else
    policy = fill_words (w->policy, p->min_count - 1,
                              tw_policy_presets[p->preset].source, p->min_count,
                              p->unstable_below);
  return g_strdup_printf ("%s %s", policy, w->hatch_note);
}

static char *
source_text (TwStore         *store,
             TwChoropleth    *map,
             const HtmlWords *w)
{
  TwAreaLayer *layer = tw_choropleth_get_layer (map);
  g_autoptr(TwMeasureInfo) measure = NULL;
  g_autoptr(TwGeographyInfo) geography = NULL;
  g_autoptr(GString) boundaries = g_string_new (tw_area_layer_get_geography_name (layer));
  g_autofree char *today = tw_export_today ();
  const char *vintage, *source;

  /* Only for this line: a project that cannot say leaves it out. */
  tw_store_find_measure (store, tw_choropleth_get_measure_code (map), &measure, NULL);
  geography = tw_store_get_geography (store, tw_area_layer_get_geography_id (layer), NULL);
  vintage = geography != NULL ? geography->vintage : NULL;
  source = geography != NULL ? geography->source : NULL;
  if (vintage != NULL || source != NULL)
    g_string_append_printf (boundaries, " (%s%s%s)", vintage != NULL ? vintage : "",
                            vintage != NULL && source != NULL ? ", " : "",
                            source != NULL ? source : "");
  return fill_words (w->source, measure != NULL && measure->source != NULL
                                     ? measure->source : w->project_data,
                          boundaries->str, PACKAGE_VERSION, today);
}

/* The world box the SVG shows, with the room around it, and its scale to SVG units. */
typedef struct
{
  double min_x, min_y, scale;
  double width, height;   /* SVG units */
} ViewTransform;

static void
view_transform_init (ViewTransform *t,
                     TwGeometrySet *geometry)
{
  TwBox e;
  double w, h, pad;

  tw_geometry_set_get_extent (geometry, &e);
  w = MAX (e.max_x - e.min_x, 1e-9);
  h = MAX (e.max_y - e.min_y, 1e-9);
  pad = MAX (w, h) * VIEW_PADDING;
  t->min_x = e.min_x - pad;
  t->min_y = e.min_y - pad;
  t->scale = VIEW_SIZE / (MAX (w, h) + 2 * pad);
  t->width = ceil ((w + 2 * pad) * t->scale);
  t->height = ceil ((h + 2 * pad) * t->scale);
}

/* Appends @points (world x, y pairs) as an SVG subpath at 0.1 unit, repeated points
 * dropped, closed when @close; returns the points written (nothing when fewer than
 * @at_least). */
static guint
append_subpath (GString             *out,
                const ViewTransform *t,
                GArray              *points,
                gboolean             close,
                guint                at_least)
{
  long last_x = G_MINLONG, last_y = G_MINLONG;
  guint written = 0;
  gsize mark = out->len;

  for (guint i = 0; i < points->len / 2; i++)
    {
      long x = lround ((g_array_index (points, double, 2 * i) - t->min_x) * t->scale * 10);
      long y = lround ((g_array_index (points, double, 2 * i + 1) - t->min_y) * t->scale * 10);

      if (x == last_x && y == last_y)
        continue;
      g_string_append_printf (out, "%c%ld.%ld %ld.%ld", written == 0 ? 'M' : 'L',
                              x / 10, x % 10, y / 10, y % 10);
      last_x = x;
      last_y = y;
      written++;
    }
  if (written < at_least)
    {
      g_string_truncate (out, mark);
      return 0;
    }
  if (close)
    g_string_append_c (out, 'Z');
  return written;
}

/* The SVG path of @area: each ring from the shared arcs. FALSE when nothing of it is left
 * at this scale. */
static gboolean
append_area_path (GString             *out,
                  TwArcSet            *arcs,
                  guint                area,
                  const ViewTransform *t,
                  GArray              *points)
{
  guint rings = tw_arc_set_get_n_rings (arcs, area);
  gboolean any = FALSE;

  for (guint r = 0; r < rings; r++)
    {
      g_array_set_size (points, 0);
      if (tw_arc_set_append_ring (arcs, area, r, points) >= 3
          && append_subpath (out, t, points, TRUE, 3) > 0)
        any = TRUE;
    }
  return any;
}

/* County and state outlines as the page export draws them when GEOIDs are FIPS codes (no
 * county lines when there are too many counties to tell apart), else the region's edge:
 * the arcs whose two sides differ in county or state, or that only one area has. */
static void
write_outlines (GString             *out,
                TwChoropleth        *map,
                TwArcSet            *arcs,
                const ViewTransform *t,
                GArray              *points)
{
  TwAreaLayer *layer = tw_choropleth_get_layer (map);
  guint n_states = 0, n_counties = 0;
  g_autofree guint32 *states = tw_export_fips_groups (layer, 2, &n_states);
  g_autofree guint32 *counties = tw_export_fips_groups (layer, 5, &n_counties);
  g_autoptr(GString) county_lines = g_string_new (NULL);
  g_autoptr(GString) state_lines = g_string_new (NULL);

  if (n_counties > MAX_COUNTY_OUTLINES)
    g_clear_pointer (&counties, g_free);
  for (guint arc = 0; arc < tw_arc_set_get_n_arcs (arcs); arc++)
    {
      GString *lines = NULL;
      guint a, b;

      tw_arc_set_get_arc_areas (arcs, arc, &a, &b);
      if (b == G_MAXUINT || (states != NULL && states[a] != states[b]))
        lines = state_lines;
      else if (counties != NULL && counties[a] != counties[b])
        lines = county_lines;
      if (lines == NULL)
        continue;
      g_array_set_size (points, 0);
      tw_arc_set_append_arc (arcs, arc, points);
      append_subpath (lines, t, points, FALSE, 2);
    }
  if (county_lines->len > 0)
    g_string_append_printf (out, "<path class=\"county\" d=\"%s\"/>", county_lines->str);
  if (state_lines->len > 0)
    g_string_append_printf (out, "<path class=\"state\" d=\"%s\"/>", state_lines->str);
}

static const char *
kind_class (guint8 kind,
            char   buffer[8])
{
  if (kind == TW_AREA_SUPPRESSED)
    return "s";
  if (kind == TW_AREA_NO_DATA)
    return "x";
  g_snprintf (buffer, 8, "k%u", kind);
  return buffer;
}

static void
write_map_style (GString      *out,
                 TwChoropleth *map)
{
  TwMapStyle *style = tw_choropleth_get_style (map);
  guint n_classes = tw_map_style_get_n_classes (style);

  g_string_append (out, ":root{--outline:");
  append_color (out, tw_palette_fixed_color (TW_COLOR_AREA_OUTLINE));
  g_string_append (out, ";--hover:");
  append_color (out, tw_palette_fixed_color (TW_COLOR_HOVER_OUTLINE));
  g_string_append (out, ";--selection:");
  append_color (out, tw_palette_fixed_color (TW_COLOR_SELECTION_OUTLINE));
  g_string_append (out, "}.county{stroke:");
  append_color (out, tw_palette_fixed_color (TW_COLOR_COUNTY_OUTLINE));
  g_string_append (out, "}.state{stroke:");
  append_color (out, tw_palette_fixed_color (TW_COLOR_STATE_OUTLINE));
  g_string_append (out, "}");
  for (guint c = 0; c < n_classes; c++)
    {
      g_string_append_printf (out, "#tw-areas .k%u{fill:", c);
      append_color (out, tw_map_style_get_fill (style, (guint8) c));
      g_string_append (out, "}");
    }
  for (guint c = 0; c < n_classes; c++)
    g_string_append_printf (out, "#tw-areas .k%u.u{fill:url(#tw-u%u)}", c, c);
  g_string_append (out, "#tw-areas .x{fill:");
  append_color (out, tw_map_style_get_fill (style, TW_AREA_NO_DATA));
  g_string_append (out, "}#tw-areas .s{fill:url(#tw-hatch)}");
}

/* A hatch pattern as the renderer's: diagonal lines HATCH_PIXELS apart over the suppressed
 * fill (@id's spacing is set on screen by the script; the legend's is fixed). */
static void
append_hatch_pattern (GString    *out,
                      const char *id,
                      double      spacing)
{
  g_string_append_printf (out, "<pattern id=\"%s\" patternUnits=\"userSpaceOnUse\" "
                          "width=\"%g\" height=\"%g\"><rect width=\"%g\" height=\"%g\" fill=\"",
                          id, spacing, spacing, spacing, spacing);
  append_color (out, tw_palette_fixed_color (TW_COLOR_SUPPRESSED_FILL));
  g_string_append_printf (out, "\"/><path d=\"M-1 %g L%g -1 M%g %g L%g %g\" stroke=\"",
                          spacing + 1, spacing + 1, spacing - 1, spacing + 1, spacing + 1,
                          spacing - 1);
  append_color (out, tw_palette_fixed_color (TW_COLOR_SUPPRESSED_HATCH));
  g_string_append_printf (out, "\" stroke-width=\"%g\"/></pattern>", spacing / 5.0);
}

/* The unreliable hatch as the renderer draws it (geo/tw-renderer.c): over @fill, "\\" lines
 * @spacing apart, a dark one and a light one beside it. */
static void
append_unreliable_pattern (GString    *out,
                           const char *id,
                           guint32     fill,
                           double      spacing)
{
  double unit = spacing / 10.0;

  g_string_append_printf (out, "<pattern id=\"%s\" patternUnits=\"userSpaceOnUse\" "
                          "width=\"%g\" height=\"%g\"><rect width=\"%g\" height=\"%g\" fill=\"",
                          id, spacing, spacing, spacing, spacing);
  append_color (out, fill);
  g_string_append (out, "\"/>");
  for (int light = 0; light < 2; light++)
    {
      double offset = light ? 1.5 * unit : 0.0;

      g_string_append (out, "<path d=\"");
      for (int k = -1; k <= 2; k++)
        {
          double x0 = k * spacing - spacing - unit, x1 = k * spacing + spacing + unit;

          g_string_append_printf (out, "M%g %gL%g %g", x0, offset + x0 - k * spacing, x1,
                                  offset + x1 - k * spacing);
        }
      g_string_append_printf (out, "\" stroke=\"%s\" stroke-opacity=\"0.6\" "
                              "stroke-width=\"%g\"/>", light ? "#fff" : "#000", unit);
    }
  g_string_append (out, "</pattern>");
}

static void
append_swatch (GString    *out,
               const char *fill)
{
  g_string_append_printf (out, "<svg width=\"22\" height=\"14\" aria-hidden=\"true\">"
                               "<rect width=\"22\" height=\"14\" fill=\"%s\"/></svg>", fill);
}

static void
append_legend_row (GString         *out,
                   const HtmlWords *w,
                   const char      *fill,
                   const char      *label,
                   guint            count)
{
  g_autofree char *n = localize (w, tw_format_count (count, NULL));

  g_string_append (out, "<li>");
  append_swatch (out, fill);
  g_string_append (out, "<span>");
  append_escaped (out, label);
  g_string_append_printf (out, "</span><span class=\"n\">%s</span></li>", n);
}

static void
write_legend (GString         *out,
              TwChoropleth    *map,
              const HtmlWords *w,
              const char      *heading)
{
  const TwClassification *classes = tw_choropleth_get_classification (map);
  TwMapStyle *style = tw_choropleth_get_style (map);
  guint n_classes = classes != NULL ? classes->n_classes : 0;
  g_autofree char *suppressed = fill_words (w->suppressed_row,
                                                 tw_choropleth_get_policy (map)->min_count);
  char fill[8];

  g_string_append (out, "<section aria-labelledby=\"tw-legend-title\"><h2 id=\"tw-legend-title\">");
  append_escaped (out, heading);
  g_string_append (out, "</h2><svg width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>");
  append_hatch_pattern (out, "tw-hatch-legend", 3);
  if (n_classes > 0)
    append_unreliable_pattern (out, "tw-u-legend",
                               tw_map_style_get_fill (style, (guint8) (n_classes / 2)), 5);
  g_string_append (out, "</defs></svg><ul class=\"legend\"><li class=\"head\"><span>");
  append_escaped (out, w->legend);
  g_string_append (out, "</span><span class=\"n\">");
  append_escaped (out, w->legend_areas);
  g_string_append (out, "</span></li>");
  /* Highest first, as readers scan down, like the page export's legend. */
  for (guint i = 0; i < n_classes; i++)
    {
      guint c = n_classes - 1 - i;
      g_autofree char *low = tw_choropleth_format_rate (map, classes->breaks[c]);
      g_autofree char *high = tw_choropleth_format_rate (map, classes->breaks[c + 1]);
      g_autofree char *label = localize (w, g_str_equal (low, high) ? g_strdup (low)
                                            : g_strdup_printf ("%s – %s", low, high));

      g_snprintf (fill, sizeof fill, "#%06x", tw_map_style_get_fill (style, (guint8) c));
      append_legend_row (out, w, fill, label, classes->counts[c]);
    }
  /* The window's status rows (tw_choropleth_get_status_rows), in its words. */
  {
    const TwStatusRow *rows;
    guint n_rows = tw_choropleth_get_status_rows (map, &rows);
    g_autofree char *rule = rule_words (w, tw_choropleth_get_policy (map));

    for (guint r = 0; r < n_rows; r++)
      {
        g_autofree char *unreliable = NULL;

        if (rows[r].revealed)
          continue;
        g_snprintf (fill, sizeof fill, "#%06x", tw_map_style_get_fill (style, TW_AREA_NO_DATA));
        switch (rows[r].status)
          {
          case TW_FIGURE_UNRELIABLE:
            if (n_classes == 0)
              break;
            unreliable = fill_words (w->unreliable_row, rule);
            append_legend_row (out, w, "url(#tw-u-legend)", unreliable, rows[r].n_areas);
            break;
          case TW_FIGURE_SUPPRESSED:
            append_legend_row (out, w, "url(#tw-hatch-legend)", suppressed, rows[r].n_areas);
            break;
          case TW_FIGURE_COMPLEMENTARY:
            append_legend_row (out, w, "url(#tw-hatch-legend)", w->complementary_row,
                               rows[r].n_areas);
            break;
          case TW_FIGURE_MISSING:
            append_legend_row (out, w, fill, w->no_data, rows[r].n_areas);
            break;
          case TW_FIGURE_NOT_APPLICABLE:
            append_legend_row (out, w, fill, w->not_applicable_row, rows[r].n_areas);
            break;
          case TW_FIGURE_SHOWN:
          default:
            break;
          }
      }
  }
  g_string_append (out, "</ul></section>");
}

typedef struct
{
  guint               area;
  const TwAreaFigure *figure;
  const char         *name;
} TableRow;

/* Rows with a rate first, the highest first (as the window's table opens), then by name. */
static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const TableRow *x = a, *y = b;
  int rx = x->figure->rank > 0 ? x->figure->rank : G_MAXINT;
  int ry = y->figure->rank > 0 ? y->figure->rank : G_MAXINT;

  if (rx != ry)
    return rx < ry ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

/* A cell holding a published figure; @sort its value for sorting. */
static void
append_figure_cell (GString    *out,
                    const char *text,
                    double      sort)
{
  char buffer[32];

  if (text == NULL || isnan (sort))
    {
      g_string_append (out, "<td>—</td>");
      return;
    }
  g_string_append_printf (out, "<td data-v=\"%s\">", tw_format_shortest (buffer, sizeof buffer,
                                                                          sort));
  append_escaped (out, text);
  g_string_append (out, "</td>");
}

/* What the status column and the area's label say. */
static const char *
status_text (const TwAreaFigure *f,
             guint8              kind,
             const HtmlWords    *w,
             const char         *unstable)
{
  if (kind == TW_AREA_SUPPRESSED || f->suppressed)
    return w->status_suppressed;
  if (kind == TW_AREA_NO_DATA)
    return w->status_no_data;
  if (f->unstable)
    return unstable;
  return w->status_shown;
}

static void
append_row (GString         *out,
            TwChoropleth    *map,
            const TableRow  *row,
            const HtmlWords *w,
            const char      *unstable)
{
  const TwAreaFigure *f = row->figure;
  TwAreaLayer *layer = tw_choropleth_get_layer (map);
  /* Only what is published: a hidden area is its name and the word, nothing more. */
  gboolean hidden = f->kind == TW_AREA_SUPPRESSED || f->suppressed;
  gboolean has_data = !hidden && f->kind != TW_AREA_NO_DATA && !isnan (f->numerator);
  const char *status = status_text (f, f->kind, w, unstable);

  g_string_append_printf (out, "<tr id=\"r%u\"><th scope=\"row\">", row->area);
  append_escaped (out, row->name);
  g_string_append (out, "</th><td class=\"t\">");
  append_escaped (out, tw_area_layer_get_geoid (layer, row->area));
  g_string_append (out, "</td>");
  if (has_data)
    {
      double rate = tw_format_round_published (f->rate);
      double lower = tw_format_round_published (f->lower);
      double upper = tw_format_round_published (f->upper);
      g_autofree char *count = localize (w, format_count (f->numerator));
      g_autofree char *denominator = localize (w, format_count (f->denominator));
      g_autofree char *rate_text = localize (w, tw_format_published (rate, TRUE, FALSE, "—"));
      g_autofree char *lower_text = tw_format_published (lower, TRUE, FALSE, "—");
      g_autofree char *upper_text = tw_format_published (upper, TRUE, FALSE, "—");
      g_autofree char *interval = isnan (lower) || isnan (upper)
                                  ? NULL : localize (w, g_strdup_printf ("%s – %s", lower_text,
                                                                         upper_text));
      g_autofree char *rank = f->rank > 0 ? localize (w, tw_format_count (f->rank, NULL))
                                          : NULL;

      append_figure_cell (out, count, round_count (f->numerator));
      append_figure_cell (out, denominator, round_count (f->denominator));
      append_figure_cell (out, rate_text, rate);
      append_figure_cell (out, interval, lower);
      append_figure_cell (out, rank, rank != NULL ? f->rank : NAN);
    }
  else
    for (guint i = 0; i < 5; i++)
      append_figure_cell (out, NULL, NAN);
  g_string_append_printf (out, "<td class=\"t%s\">", f->unstable && has_data ? " u" : "");
  append_escaped (out, status);
  g_string_append (out, "</td></tr>\n");
}

static void
append_head (GString    *out,
             const char *label,
             gboolean    text)
{
  g_string_append_printf (out, "<th scope=\"col\" aria-sort=\"none\"%s><button type=\"button\">",
                          text ? " class=\"t\"" : "");
  append_escaped (out, label);
  g_string_append (out, "</button></th>");
}

static void
write_table (GString         *out,
             TwChoropleth    *map,
             GArray          *rows,
             const HtmlWords *w,
             const char      *rate_heading)
{
  g_autofree char *rule = rule_words (w, tw_choropleth_get_policy (map));
  g_autofree char *unstable = fill_words (w->unreliable_row, rule);

  g_string_append (out, "<section class=\"table\"><table id=\"tw-table\"><caption>");
  append_escaped (out, w->table_caption);
  g_string_append (out, "<br><span class=\"hint\">");
  append_escaped (out, w->sort_hint);
  g_string_append (out, "</span></caption><thead><tr>");
  append_head (out, w->col_area, TRUE);
  append_head (out, w->col_geoid, TRUE);
  append_head (out, w->col_count, FALSE);
  append_head (out, w->col_denominator, FALSE);
  append_head (out, rate_heading, FALSE);
  append_head (out, w->col_interval, FALSE);
  append_head (out, w->col_rank, FALSE);
  append_head (out, w->col_status, TRUE);
  g_string_append (out, "</tr></thead><tbody>\n");
  for (guint i = 0; i < rows->len; i++)
    append_row (out, map, &g_array_index (rows, TableRow, i), w, unstable);
  g_string_append (out, "</tbody></table></section>");
}

/* The areas' aria-label: name and the published rate, or the status. */
static void
append_area_label (GString         *out,
                   TwChoropleth    *map,
                   const TableRow  *row,
                   const HtmlWords *w,
                   const char      *unit)
{
  const TwAreaFigure *f = row->figure;

  append_escaped (out, row->name);
  g_string_append (out, ": ");
  if (f->kind < TW_PALETTE_MAX_CLASSES && !f->suppressed && !isnan (f->rate))
    {
      g_autofree char *rate = localize (w, tw_format_published (
                                              tw_format_round_published (f->rate), TRUE, FALSE,
                                              "—"));
      append_escaped_printf (out, "%s (%s)", rate, unit);
      if (f->unstable)
        append_escaped_printf (out, ", %s", w->unstable);
    }
  else
    append_escaped (out, f->kind == TW_AREA_NO_DATA && !f->suppressed ? w->status_no_data
                                                                       : w->status_suppressed);
}

static char *
script_hash (void)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) page_script, strlen (page_script));
  g_checksum_get_digest (checksum, digest, &length);
  return g_base64_encode (digest, length);
}

gboolean
tw_html_language_from_string (const char      *code,
                              TwHtmlLanguage  *language,
                              GError         **error)
{
  g_return_val_if_fail (language != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (code != NULL && g_ascii_strcasecmp (code, words[i].code) == 0)
      {
        *language = i;
        return TRUE;
      }
  g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
               "'%s' is not a language of the web map; give en or es", code != NULL ? code : "");
  return FALSE;
}

const char *
tw_html_language_to_string (TwHtmlLanguage language)
{
  g_return_val_if_fail (language <= TW_HTML_LANGUAGE_ES, NULL);

  return words[language].code;
}

gboolean
tw_html_export_write (TwStore             *store,
                      TwChoropleth        *map,
                      const TwHtmlOptions *options,
                      const char          *path,
                      TwHtmlSummary       *summary,
                      GError             **error)
{
  TwHtmlOptions defaults = { NULL, TW_HTML_LANGUAGE_EN };
  const HtmlWords *w;
  TwAreaLayer *layer;
  TwGeometrySet *geometry;
  g_autoptr(TwArcSet) arcs = NULL;
  g_autoptr(GString) out = g_string_sized_new (1 << 20);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (TableRow));
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *unit = NULL, *group = NULL, *subtitle = NULL, *hash = NULL;
  g_autofree char *footnote = NULL, *source = NULL, *policy = NULL;
  const TwSuppressionPolicy *p;
  const char *title;
  ViewTransform t;
  char world[3][32];
  guint n_areas, first_shown = G_MAXUINT;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (options == NULL)
    options = &defaults;
  g_return_val_if_fail (options->language <= TW_HTML_LANGUAGE_ES, FALSE);
  if (tw_choropleth_get_reveal (map))
    {
      g_set_error_literal (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                           "this map shows the analyst view; exports never reveal suppressed "
                           "figures: compute the map without reveal");
      return FALSE;
    }

  w = &words[options->language];
  layer = tw_choropleth_get_layer (map);
  geometry = tw_area_layer_get_geometry (layer);
  n_areas = tw_area_layer_get_n_areas (layer);
  view_transform_init (&t, geometry);
  arcs = tw_arc_set_new (geometry, SIMPLIFY_UNITS / t.scale, NULL);

  title = options->title != NULL ? options->title : tw_choropleth_get_measure_label (map);
  unit = unit_text (map, w);
  group = group_text (map, w);
  subtitle = g_strdup_printf ("%s · %s · %s · %s", tw_choropleth_get_period (map), group,
                              unit, tw_area_layer_get_geography_name (layer));
  footnote = footnote_text (map, w);
  source = source_text (store, map, w);
  hash = script_hash ();

  for (guint i = 0; i < n_areas; i++)
    {
      TableRow row = { i, tw_choropleth_get_figure (map, i), tw_area_layer_get_name (layer, i) };

      if (row.figure->kind == TW_AREA_HIDDEN)
        continue;
      if (row.name == NULL || row.name[0] == '\0')
        row.name = tw_area_layer_get_geoid (layer, i);
      g_array_append_val (rows, row);
    }

  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                          "<meta charset=\"utf-8\">\n"
                          "<meta http-equiv=\"Content-Security-Policy\" content=\""
                          "default-src 'none'; style-src 'unsafe-inline'; "
                          "script-src 'sha256-%s'; img-src data:; base-uri 'none'; "
                          "form-action 'none'\">\n"
                          "<meta name=\"referrer\" content=\"no-referrer\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, "
                          "initial-scale=1\">\n"
                          "<meta name=\"generator\" content=\"Tractwise %s\">\n<title>",
                          w->code, hash, PACKAGE_VERSION);
  append_escaped (out, title);
  g_string_append (out, "</title>\n<style>");
  g_string_append (out, page_style);
  write_map_style (out, map);
  g_string_append (out, "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#tw-table\">");
  append_escaped (out, w->skip_to_table);
  g_string_append (out, "</a>\n<header><h1>");
  append_escaped (out, title);
  g_string_append (out, "</h1><p class=\"subtitle\">");
  append_escaped (out, subtitle);
  g_string_append (out, "</p></header>\n<main>\n<figure class=\"map\">");

  /* data-world: the world origin and scale of the SVG's units, for scripts that check the
   * map (the tests find an area's place on screen with it). */
  g_string_append_printf (out, "<svg id=\"tw-map\" viewBox=\"0 0 %g %g\" role=\"group\" "
                          "tabindex=\"-1\" "
                          "data-world=\"%s %s %s\" aria-describedby=\"tw-map-help\" "
                          "aria-label=\"", t.width, t.height,
                          tw_format_shortest (world[0], sizeof world[0], t.min_x),
                          tw_format_shortest (world[1], sizeof world[1], t.min_y),
                          tw_format_shortest (world[2], sizeof world[2], t.scale));
  {
    g_autofree char *label = fill_words (w->map_label, title);
    append_escaped (out, label);
  }
  g_string_append (out, "\"><defs>");
  append_hatch_pattern (out, "tw-hatch", HATCH_PIXELS);
  for (guint c = 0; c < tw_map_style_get_n_classes (tw_choropleth_get_style (map)); c++)
    {
      g_autofree char *id = g_strdup_printf ("tw-u%u", c);

      append_unreliable_pattern (out, id, tw_map_style_get_fill (tw_choropleth_get_style (map),
                                                                 (guint8) c),
                                 UNRELIABLE_HATCH_PIXELS);
    }
  g_string_append (out, "</defs><g id=\"tw-areas\">\n");
  for (guint i = 0; i < rows->len; i++)
    {
      const TableRow *row = &g_array_index (rows, TableRow, i);
      gsize mark = out->len;
      char buffer[8];

      g_string_append_printf (out, "<path id=\"a%u\" class=\"%s%s\" role=\"button\" "
                              "tabindex=\"%s\" aria-label=\"", row->area,
                              kind_class (row->figure->kind, buffer),
                              row->figure->kind < TW_PALETTE_MAX_CLASSES
                              && row->figure->status == TW_FIGURE_UNRELIABLE ? " u" : "",
                              first_shown == G_MAXUINT ? "0" : "-1");
      append_area_label (out, map, row, w, unit);
      g_string_append (out, "\" d=\"");
      if (!append_area_path (out, arcs, row->area, &t, points))
        {
          /* Smaller than the map can draw: the table still has it. */
          g_string_truncate (out, mark);
          continue;
        }
      g_string_append (out, "\"/>\n");
      if (first_shown == G_MAXUINT)
        first_shown = row->area;
    }
  g_string_append (out, "</g><g aria-hidden=\"true\">");
  write_outlines (out, map, arcs, &t, points);
  g_string_append (out, "</g><path id=\"tw-hover\" d=\"\"/><path id=\"tw-focus\" d=\"\"/></svg>");
  g_string_append (out, "<figcaption id=\"tw-map-help\" class=\"hint\">");
  append_escaped (out, w->map_help);
  g_string_append (out, "</figcaption></figure>\n<aside>");
  write_legend (out, map, w, unit);
  g_string_append (out, "<section aria-live=\"polite\"><h2>");
  append_escaped (out, w->details);
  g_string_append (out, "</h2><div id=\"tw-details\"><p class=\"hint\">");
  append_escaped (out, w->details_hint);
  g_string_append (out, "</p></div></section></aside>\n<p class=\"notes\">");
  append_escaped (out, source);
  g_string_append (out, "<br>");
  append_escaped (out, footnote);
  g_string_append (out, "</p>\n");

  g_array_sort (rows, compare_rows);
  write_table (out, map, rows, w, unit);
  g_string_append (out, "\n</main>\n<script>");
  g_string_append (out, page_script);
  g_string_append (out, "</script>\n</body>\n</html>\n");

  if (!g_file_set_contents (path, out->str, out->len, error))
    {
      g_prefix_error (error, "%s: cannot write: ", path);
      if (error != NULL && *error != NULL && (*error)->domain != TW_EXPORT_ERROR)
        {
          (*error)->domain = TW_EXPORT_ERROR;
          (*error)->code = TW_EXPORT_ERROR_WRITE;
        }
      return FALSE;
    }
  if (summary != NULL)
    {
      summary->n_areas = rows->len;
      summary->n_arcs = tw_arc_set_get_n_arcs (arcs);
      summary->bytes = out->len;
    }

  p = tw_choropleth_get_policy (map);
  policy = g_strdup_printf ("%s, k = %u", tw_suppression_preset_to_string (p->preset),
                            p->min_count);
  return tw_export_audit (store, "export-map", path, "html", error,
                          "measure", tw_choropleth_get_measure_code (map),
                          "period", tw_choropleth_get_period (map),
                          "stratum", tw_choropleth_get_stratum (map) != NULL
                                     ? tw_choropleth_get_stratum (map) : "all",
                          "policy", policy,
                          "language", w->code, NULL);
}
