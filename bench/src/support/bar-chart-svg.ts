/** One bar of a {@link BarChart}: a side of a benchmark and its figure. */
export interface Bar {
  /** The side, as the table names it, e.g. `Cache.get (library)`. */
  label: string;
  /** The figure the bar's length shows (not negative). */
  value: number;
  /** The figure as printed at the bar's end, e.g. `1.74×` or `90,400`. */
  text: string;
  /** Whether the side is our code (drawn in the accent colour) rather than a peer or limit. */
  ours: boolean;
}

/** A horizontal bar chart, one bar per side. */
export interface BarChart {
  /** Unique among the charts of a page: prefixes the ids that `aria-labelledby` points at. */
  id: string;
  /** Shown on top and as the SVG's `<title>`. */
  title: string;
  /** A smaller line under the title (the section a table heading belongs to), if any. */
  subtitle?: string;
  /** What the bars measure (the table column's name), shown under the bars. */
  axisLabel: string;
  bars: Bar[];
  /** Where a dashed reference line is drawn (1 for ratio charts), if anywhere. */
  reference?: number;
}

/** Width of every chart in CSS pixels (the docs page's column is about this wide). */
export const CHART_WIDTH = 640;

// A light card with its own background and border reads on light and dark pages alike; the
// text colours keep at least 4.5:1 contrast on it, the bar colours at least 4.5:1 too, and
// blue beside neutral grey stays apart for every common colour-vision deficiency (the labels
// also say "ours" or "peer", so colour is never the only cue).
const COLOURS = {
  background: '#ffffff',
  border: '#d0d7de',
  text: '#1f2328',
  muted: '#57606a',
  axis: '#8c959f',
  ours: '#0969da',
  other: '#6e7781',
} as const;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const PAD = 20;
const TITLE_SIZE = 16;
const TEXT_SIZE = 13;
const SMALL_SIZE = 12;
const ROW_HEIGHT = 44;
const BAR_HEIGHT = 18;
// No font metrics without a browser: an average glyph is about 0.55 em in system UI fonts
// (0.6 em bold), which errs on the wide side for the labels these tables hold.
const EM_PER_CHAR = 0.55;
const EM_PER_BOLD_CHAR = 0.6;
// The reference line runs across the rows; a halo in the background colour keeps the labels
// and figures it crosses legible.
const HALO = ` stroke="${COLOURS.background}" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`;

/**
 * Draws `chart` as a standalone, accessible SVG document (`role="img"`, `<title>`, and a
 * `<desc>` listing every figure). The same chart always gives the same bytes.
 */
export function renderBarChart(chart: BarChart): string {
  const inner = CHART_WIDTH - 2 * PAD;
  const titleLines = wrap(chart.title, Math.floor(inner / (TITLE_SIZE * EM_PER_BOLD_CHAR)));
  const subtitleLines = chart.subtitle ? wrap(chart.subtitle, Math.floor(inner / (TEXT_SIZE * EM_PER_CHAR))) : [];
  const axisLines = wrap(chart.axisLabel, Math.floor(inner / (SMALL_SIZE * EM_PER_CHAR)));
  const labelChars = Math.floor(inner / (TEXT_SIZE * EM_PER_CHAR));

  const valueChars = Math.max(...chart.bars.map((b) => b.text.length), 1);
  // Room for the widest figure (bold, and digits are wider than the average glyph) after the longest bar.
  const plotWidth = inner - Math.ceil(valueChars * TEXT_SIZE * 0.65) - 12;
  const domain = Math.max(...chart.bars.map((b) => b.value), chart.reference ?? 0) || 1;
  const x = (value: number) => PAD + (value / domain) * plotWidth;

  const out: string[] = [];
  let y = PAD;
  for (const line of titleLines) {
    y += TITLE_SIZE + 4;
    out.push(text(PAD, y, line, TITLE_SIZE, COLOURS.text, ' font-weight="600"'));
  }
  for (const line of subtitleLines) {
    y += TEXT_SIZE + 4;
    out.push(text(PAD, y, line, TEXT_SIZE, COLOURS.muted));
  }
  const barsTop = y + 12;
  chart.bars.forEach((bar, i) => {
    const rowTop = barsTop + i * ROW_HEIGHT;
    const barTop = rowTop + TEXT_SIZE + 6;
    // A bar for a positive figure stays visible however small it is next to the largest.
    const width = bar.value > 0 ? Math.max(x(bar.value) - PAD, 2) : 0;
    out.push(text(PAD, rowTop + TEXT_SIZE, truncate(bar.label, labelChars), TEXT_SIZE, COLOURS.text, HALO));
    out.push(`<rect x="${PAD}" y="${num(barTop)}" width="${num(width)}" height="${BAR_HEIGHT}" rx="2" fill="${bar.ours ? COLOURS.ours : COLOURS.other}"/>`);
    out.push(text(PAD + width + 6, barTop + BAR_HEIGHT - 5, bar.text, TEXT_SIZE, COLOURS.text, ` font-weight="600"${HALO}`));
  });
  const barsBottom = barsTop + chart.bars.length * ROW_HEIGHT - (ROW_HEIGHT - TEXT_SIZE - 6 - BAR_HEIGHT) + 4;
  const gridTop = barsTop + TEXT_SIZE + 2;
  out.push(`<line x1="${PAD}" y1="${num(gridTop)}" x2="${PAD}" y2="${num(barsBottom)}" stroke="${COLOURS.axis}" stroke-width="1"/>`);
  y = barsBottom + SMALL_SIZE + 4;
  out.push(text(PAD, y, '0', SMALL_SIZE, COLOURS.muted, ' text-anchor="middle"'));
  if (chart.reference !== undefined) {
    const rx = x(chart.reference);
    out.push(`<line x1="${num(rx)}" y1="${num(gridTop)}" x2="${num(rx)}" y2="${num(barsBottom)}" stroke="${COLOURS.text}" stroke-width="1.5" stroke-dasharray="5 4"/>`);
    out.push(text(rx, y, `${formatReference(chart.reference)}×`, SMALL_SIZE, COLOURS.text, ' text-anchor="middle"'));
  }
  for (const line of axisLines) {
    y += SMALL_SIZE + 6;
    out.push(text(PAD, y, line, SMALL_SIZE, COLOURS.muted));
  }
  y += 10;
  let legendX = PAD;
  for (const [ours, name] of [[true, 'our code'], [false, 'peer or limit']] as const) {
    if (!chart.bars.some((b) => b.ours === ours)) continue;
    out.push(`<rect x="${num(legendX)}" y="${num(y + 1)}" width="12" height="12" rx="2" fill="${ours ? COLOURS.ours : COLOURS.other}"/>`);
    out.push(text(legendX + 18, y + 12, name, SMALL_SIZE, COLOURS.muted));
    legendX += 18 + Math.ceil(name.length * SMALL_SIZE * EM_PER_CHAR) + 20;
  }
  const height = Math.ceil(y + 12 + PAD);

  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}" role="img" aria-labelledby="${escapeXml(titleId)} ${escapeXml(descId)}" font-family="${escapeXml(FONT)}">`,
    `<title id="${escapeXml(titleId)}">${escapeXml(fullTitle(chart))}</title>`,
    `<desc id="${escapeXml(descId)}">${escapeXml(describe(chart))}</desc>`,
    `<rect x="0.5" y="0.5" width="${CHART_WIDTH - 1}" height="${height - 1}" rx="6" fill="${COLOURS.background}" stroke="${COLOURS.border}"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

/** The chart's title with its subtitle, as the SVG's `<title>` and an image's alt text give it. */
export function fullTitle(chart: Pick<BarChart, 'title' | 'subtitle'>): string {
  return chart.subtitle ? `${chart.title} — ${chart.subtitle}` : chart.title;
}

/** Every figure of the chart in words, for the SVG's `<desc>`. */
function describe(chart: BarChart): string {
  const figures = chart.bars.map((b) => `${b.label}: ${b.text}${b.ours ? ' (our code)' : ''}`).join('; ');
  const reference = chart.reference === undefined ? '' : ` A dashed line marks ${formatReference(chart.reference)}×.`;
  return `Horizontal bar chart of ${chart.axisLabel}. ${figures}.${reference}`;
}

/** Escapes text for XML character data and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function text(x: number, y: number, content: string, size: number, fill: string, extra = ''): string {
  return `<text x="${num(x)}" y="${num(y)}" font-size="${size}" fill="${fill}"${extra}>${escapeXml(content)}</text>`;
}

/** A coordinate with at most one decimal, so output does not depend on float noise. */
function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function formatReference(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Splits `value` into lines of at most `width` characters at spaces (a longer word gets a line of its own). */
export function wrap(value: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of value.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function truncate(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, width - 1).trimEnd()}…`;
}
