// Apache ECharts, only the parts the dashboard draws (bars, lines, heatmaps, scatters; tooltips, legends, canvas).
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, LineChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

const live = new Set();

/** Draws the option into the element (replacing a chart drawn there before); charts follow the window's size. */
export function chart(element, option) {
  const existing = echarts.getInstanceByDom(element);
  if (existing) {
    existing.dispose();
    live.delete(existing);
  }
  const instance = echarts.init(element, null, { renderer: 'canvas' });
  instance.setOption(option);
  live.add(instance);
  return instance;
}

/** Forgets the charts of a page that is left. */
export function disposeAll() {
  live.forEach((c) => c.dispose());
  live.clear();
}

window.addEventListener('resize', () => live.forEach((c) => c.resize()));
