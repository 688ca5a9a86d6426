// Fleet charts (kernels in use, most failing checks) with Chart.js, registered piecemeal to keep the bundle small.
import { useEffect, useRef } from 'preact/hooks';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export function BarChart({ labels, values, color, label }: { labels: string[]; values: number[]; color: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return undefined;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: [{ label, data: values, backgroundColor: color }] },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { tooltip: { enabled: true } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [labels.join('\u0000'), values.join(','), color, label]);
  return (
    <div class="chart" style={{ height: `${Math.max(120, labels.length * 28 + 40)}px` }}>
      <canvas ref={canvas} aria-label={label} role="img" />
    </div>
  );
}
