import { escapeXml, renderBarChart, wrap, type BarChart } from './bar-chart-svg';

const chart: BarChart = {
  id: 'cache-1',
  title: 'SET',
  subtitle: 'Cache operations per second',
  axisLabel: 'ratio to raw',
  bars: [
    { label: 'Cache.set (library)', value: 2, text: '2.00×', ours: true },
    { label: 'raw SET (raw)', value: 1, text: '1.00×', ours: false },
    { label: 'tiny (peer)', value: 0.001, text: '0.001×', ours: false },
  ],
  reference: 1,
};

/** The bars' rectangles (the ones 18 px high), as numbers. */
function barRects(svg: string): Array<{ x: number; width: number; fill: string }> {
  return [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="18" rx="2" fill="(#[0-9a-f]{6})"\/>/g)].map((m) => ({
    x: Number(m[1]),
    width: Number(m[2]),
    fill: m[3],
  }));
}

describe('renderBarChart', () => {
  it('is an accessible image: role, title and a description that lists every figure', () => {
    const svg = renderBarChart(chart);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640" height="\d+" viewBox="0 0 640 \d+" role="img" aria-labelledby="cache-1-title cache-1-desc"/);
    expect(svg).toContain('<title id="cache-1-title">SET — Cache operations per second</title>');
    expect(svg).toContain(
      '<desc id="cache-1-desc">Horizontal bar chart of ratio to raw. Cache.set (library): 2.00× (our code); raw SET (raw): 1.00×; tiny (peer): 0.001×. A dashed line marks 1.0×.</desc>',
    );
    expect(svg).toContain('font-family="system-ui');
    // Its own background, so it reads on a dark page too.
    expect(svg).toMatch(/<rect x="0.5" y="0.5" width="639" height="\d+" rx="6" fill="#ffffff"/);
    const sizes = [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
  });

  it('scales the bars to the largest figure and keeps a tiny positive one visible', () => {
    const [big, one, tiny] = barRects(renderBarChart(chart));
    expect(one.width).toBeCloseTo(big.width / 2, 0);
    expect(tiny.width).toBe(2);
    expect(big.x + big.width).toBeLessThan(640 - 20 - 30); // room for the figure after it
  });

  it('draws the reference line where the 1.0 bar ends, even when every bar is shorter', () => {
    const svg = renderBarChart({ ...chart, bars: [{ ...chart.bars[1], value: 0.5, text: '0.50×' }, chart.bars[2]] });
    const [half] = barRects(svg);
    const line = /<line x1="([\d.]+)" [^>]*stroke-dasharray/.exec(svg);
    expect(line).not.toBeNull();
    expect(Number(line?.[1]) - 20).toBeCloseTo(2 * half.width, 0);
  });

  it('colours our sides apart from peers and limits', () => {
    const [ours, raw, peer] = barRects(renderBarChart(chart));
    expect(ours.fill).not.toBe(raw.fill);
    expect(raw.fill).toBe(peer.fill);
  });

  it('escapes the text it draws', () => {
    const svg = renderBarChart({ ...chart, title: 'a <b> & "c"', bars: [{ ...chart.bars[0], label: "x's <script>" }, chart.bars[1]] });
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).toContain('x&apos;s &lt;script&gt;');
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
  });

  it('gives the same bytes for the same chart', () => {
    expect(renderBarChart(chart)).toBe(renderBarChart(structuredClone(chart)));
  });

  it('omits the reference line and its tick without a reference', () => {
    const svg = renderBarChart({ ...chart, reference: undefined });
    expect(svg).not.toContain('stroke-dasharray');
    expect(svg).not.toContain('1.0×</text>');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('wrap', () => {
  it('breaks at spaces within the width', () => {
    expect(wrap('Alert rules at scale: price events per second', 20)).toEqual(['Alert rules at', 'scale: price events', 'per second']);
  });
});
