// charts.js - ECharts (web/vendor/echarts.min.js) bar charts whose tooltips work under the server's
// strict Content-Security-Policy, and the same figures as a table for keyboards and screen readers.
//
// ECharts' default HTML tooltip is a <div> styled through inline style attributes, which the CSP
// (default-src 'self', no 'unsafe-inline') refuses. renderMode 'richText' draws the tooltip on the
// chart's canvas instead: no DOM, no inline style, nothing for the CSP to block.
import { h, t } from './ui.js';

const live = new Set();
window.addEventListener('resize', () => {
  for (const c of live) {
    if (c.isDisposed() || !document.contains(c.getDom())) { if (!c.isDisposed()) c.dispose(); live.delete(c); } else c.resize();
  }
});

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

// A bar chart in el: labels on the x axis, values as bars; the tooltip shows title(i) (the long
// name of label i) and "series: value". Returns the ECharts instance (null without ECharts).
export function barChart(el, { labels, values, title, series, color }) {
  if (!window.echarts) return null;
  for (const c of live) if (c.getDom() === el) { c.dispose(); live.delete(c); }
  const c = window.echarts.init(el, null, { renderer: 'canvas' });
  c.setOption({
    animation: false,
    grid: { left: 40, right: 10, top: 20, bottom: 60 },
    tooltip: { ...TOOLTIP, formatter: (ps) => `${title(ps[0].dataIndex)}\n${series}：${ps[0].value}` },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 24 ? 90 : labels.some((l) => l.length > 4) ? 35 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: series, data: values, itemStyle: { color }, label: { show: true, position: 'top' } }],
  });
  live.add(c);
  return c;
}

// The figures of a chart as a collapsed table: rows of [label, name, value].
export function chartTable(testid, head, rows) {
  return h('details', { class: 'chart-data', 'data-testid': testid },
    h('summary', {}, t('chart_data')),
    h('table', {}, h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map(([label, name, value]) => h('tr', { 'data-key': label },
        h('td', {}, label), h('td', {}, name), h('td', { class: 'num' }, value))))));
}
