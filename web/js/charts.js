// charts.js - ECharts (web/vendor/echarts.min.js) bar charts whose tooltips work under the server's
// strict Content-Security-Policy, and the same figures as a table for keyboards and screen readers.
//
// ECharts' default HTML tooltip is a <div> styled through inline style attributes, which the CSP
// (default-src 'self', no 'unsafe-inline') refuses. renderMode 'richText' draws the tooltip on the
// chart's canvas instead: no DOM, no inline style, nothing for the CSP to block.
import { h, t, tableWrap } from './ui.js';

const live = new Set();
window.addEventListener('resize', () => {
  for (const c of live) {
    if (c.isDisposed() || !document.contains(c.getDom())) { if (!c.isDisposed()) c.dispose(); live.delete(c); } else {
      c.resize();
      c.setOption({ xAxis: { axisLabel: axisLabel(c.getDom(), c.agLabels) } });
    }
  }
});

// The x-axis labels fitted to the chart's width, so they never overlap: every label shown where
// there is room for a line of text per bar (else every n-th), turned as far as the space per bar needs and cut with an ellipsis to what fits (the tooltip and
// the table under the chart carry the whole name); grid.containLabel keeps them inside the box.
function axisLabel(el, labels) {
  const width = el.clientWidth || 600;
  const per = width / Math.max(1, labels.length); // pixels per bar
  const longest = Math.max(0, ...labels.map((l) => String(l).length));
  const flat = per >= 14 * longest + 8; // fits upright (13px CJK glyphs)
  const rotate = flat ? 0 : per >= 40 ? 35 : 90;
  const fontSize = per < 24 ? 11 : 12;
  // Too many bars for even turned labels (36 cells on a phone): every n-th label, the rest in the
  // tooltip and the table.
  const interval = flat || per >= fontSize + 4 ? 0 : Math.ceil((fontSize + 4) / per) - 1;
  return { interval, rotate, fontSize, hideOverlap: false,
    width: flat ? per - 4 : Math.min(width < 500 ? 84 : 120, 14 * longest), overflow: 'truncate', ellipsis: '…' };
}

const TOOLTIP = {
  trigger: 'axis',
  axisPointer: { type: 'shadow' },
  renderMode: 'richText',
  backgroundColor: '#ffffff',
  borderColor: '#4a5560',
  borderWidth: 1,
  padding: [6, 8],
  textStyle: { color: '#1b1f24', fontSize: 13, lineHeight: 18 },
};

// A bar chart in el: labels (names, e.g. "F03 资金支付审批") on the x axis, values as bars; the
// tooltip shows title(i) (the whole name of label i) and "series: value". Returns the ECharts instance (null without ECharts).
export function barChart(el, { labels, values, title, series, color }) {
  if (!window.echarts) return null;
  for (const c of live) if (c.getDom() === el) { c.dispose(); live.delete(c); }
  const c = window.echarts.init(el, null, { renderer: 'canvas' });
  c.setOption({
    animation: false,
    grid: { left: 8, right: 10, top: 20, bottom: 8, containLabel: true },
    tooltip: { ...TOOLTIP, formatter: (ps) => `${title(ps[0].dataIndex)}\n${series}：${ps[0].value}` },
    xAxis: { type: 'category', data: labels, axisLabel: axisLabel(el, labels) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: series, data: values, itemStyle: { color }, label: { show: true, position: 'top' } }],
  });
  c.agLabels = labels;
  live.add(c);
  return c;
}

// The figures of a chart as a collapsed table: rows of [label, name, value].
export function chartTable(testid, head, rows) {
  return h('details', { class: 'chart-data', 'data-testid': testid },
    h('summary', {}, t('chart_data')),
    tableWrap(h('table', {}, h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map(([label, name, value]) => h('tr', { 'data-key': label },
        h('td', {}, label), h('td', {}, name), h('td', { class: 'num' }, value)))))));
}
