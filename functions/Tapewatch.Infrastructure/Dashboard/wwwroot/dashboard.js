// Tapewatch dashboard: draws the charts from the JSON in #dashboard-data with the vendored Chart.js.
// Loaded as a file (script-src 'self'); it never writes HTML: text goes through textContent only.
(function () {
  'use strict';

  var dataElement = document.getElementById('dashboard-data');
  if (!dataElement || typeof window.Chart === 'undefined') {
    return;
  }

  var data = JSON.parse(dataElement.textContent || '{}');
  var Chart = window.Chart;
  var t = data.thresholds;
  var colors = {
    green: '#1a7f37', greenStrong: '#0b4f20', red: '#b42318', redStrong: '#6e1109',
    amber: '#b54708', purple: '#6d28d9', blue: '#1f5fbf', grey: '#9ca3af', ink: '#1c2330'
  };
  var regimeColors = {
    Snapback: '#6d28d9', Caution: '#b42318', Rebuild: '#1a7f37',
    Stabilizing: '#0e7490', Reset: '#b54708', Neutral: '#9ca3af'
  };
  var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  Chart.defaults.color = '#5b6473';

  function shortDate(iso) {
    var parts = String(iso).split('-');
    return parts.length === 3 ? Number(parts[2]) + ' ' + months[Number(parts[1]) - 1] : String(iso);
  }

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function signed(v, digits) {
    if (v === null || v === undefined) { return 'no data'; }
    var s = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return (v > 0 ? '+' : v < 0 ? '\u2212' : '') + s;
  }

  function hLine(value, color, text, dash) {
    return {
      type: 'line', yMin: value, yMax: value, borderColor: color, borderWidth: 1.5, borderDash: dash || [6, 4],
      label: { display: true, content: text, position: 'start', backgroundColor: alpha(color, 0.85), color: '#fff', font: { size: 10 }, padding: 3 }
    };
  }

  function band(yMin, yMax, color) {
    var box = { type: 'box', backgroundColor: alpha(color, 0.09), borderWidth: 0, drawTime: 'beforeDatasetsDraw' };
    if (yMin !== null) { box.yMin = yMin; }
    if (yMax !== null) { box.yMax = yMax; }
    return box;
  }

  // A fixed-width value axis on the left, so the charts' date axes line up under each other.
  var axisWidth = window.matchMedia && window.matchMedia('(max-width: 600px)').matches ? 48 : 64;
  function valueAxis(title, extra) {
    var axis = { title: { display: true, text: title }, afterFit: function (scale) { scale.width = axisWidth; } };
    Object.keys(extra || {}).forEach(function (k) { axis[k] = extra[k]; });
    return axis;
  }

  var dateAxis = {
    ticks: { callback: function (value) { return shortDate(this.getLabelForValue(value)); }, maxRotation: 0, autoSkip: true, autoSkipPadding: 10 },
    grid: { display: false }
  };

  function make(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return null; }
    var chart = new Chart(canvas, config);
    canvas.setAttribute('data-rendered', 'true');
    return chart;
  }

  // Daily ETF net flows: green/red bars, trigger runs outlined and darker, provisional faded.
  var flowBg = [], flowBorder = [], flowWidth = [];
  data.flows.forEach(function (v, i) {
    var streak = data.streak[i];
    var positive = v !== null && v >= 0;
    var base = positive ? colors.green : colors.red;
    var strong = positive ? colors.greenStrong : colors.redStrong;
    if (streak === 'snapback') { strong = colors.purple; }
    var fill = streak ? strong : base;
    flowBg.push(data.provisional[i] ? alpha(fill, 0.35) : fill);
    flowBorder.push(streak ? (streak === 'snapback' ? colors.purple : colors.ink) : fill);
    flowWidth.push(streak ? 2 : 0);
  });
  make('chart-flows', {
    type: 'bar',
    data: {
      labels: data.sessions,
      datasets: [{ label: 'Net flow (US$m)', data: data.flows, backgroundColor: flowBg, borderColor: flowBorder, borderWidth: flowWidth }]
    },
    options: {
      scales: { x: dateAxis, y: valueAxis('US$m') },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: function (items) { return items.length ? items[0].label : ''; },
            label: function (item) {
              var i = item.dataIndex, parts = [signed(data.flows[i], 1) + 'm'];
              if (data.provisional[i]) { parts.push('provisional'); }
              if (data.streak[i]) { parts.push(data.streak[i] + ' run'); }
              return parts.join(' \u00b7 ');
            }
          }
        },
        annotation: {
          annotations: {
            rebuild: hLine(t.rebuildSessionMin, colors.green, '+' + t.rebuildSessionMin + ' Rebuild'),
            minus: hLine(-t.rebuildSessionMin, colors.red, '\u2212' + t.rebuildSessionMin),
            snapback: hLine(t.snapbackSessionMin, colors.purple, '+' + t.snapbackSessionMin + ' Snapback'),
            zero: { type: 'line', yMin: 0, yMax: 0, borderColor: '#5b6473', borderWidth: 1 }
          }
        }
      }
    }
  });

  // Weekly ledger: US ETF weekly sum vs CoinShares global.
  make('chart-weekly', {
    type: 'bar',
    data: {
      labels: data.weeks,
      datasets: [
        { label: 'US spot ETF week (US$m)', data: data.weeksUsEtf, backgroundColor: colors.blue },
        { label: 'CoinShares global week (US$m)', data: data.weeksCoinShares, backgroundColor: colors.amber }
      ]
    },
    options: {
      scales: { x: dateAxis, y: valueAxis('US$m') },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            title: function (items) { return items.length ? 'Week ending ' + items[0].label : ''; },
            label: function (item) {
              var partial = item.datasetIndex === 0 && data.weeksPartial[item.dataIndex] ? ' (to date)' : '';
              return item.dataset.label + ': ' + signed(item.raw, 1) + partial;
            }
          }
        },
        annotation: { annotations: { zero: { type: 'line', yMin: 0, yMax: 0, borderColor: '#5b6473', borderWidth: 1 } } }
      }
    }
  });

  // 3-month basis with the Caution / Rebuild / Snapback bands.
  make('chart-basis', {
    type: 'line',
    data: {
      labels: data.sessions,
      datasets: [{ label: '3m annualised basis (%)', data: data.basis, borderColor: colors.blue, backgroundColor: colors.blue, pointRadius: 1.5, borderWidth: 2, spanGaps: false }]
    },
    options: {
      scales: { x: dateAxis, y: valueAxis('% annualised', { suggestedMin: 0, suggestedMax: t.basisSnapbackMin + 2 }) },
      plugins: {
        legend: { display: false },
        annotation: {
          annotations: {
            cautionBand: band(null, t.basisCautionMax, colors.red),
            rebuildBand: band(t.basisRebuildMin, t.basisSnapbackMin, colors.green),
            snapbackBand: band(t.basisSnapbackMin, null, colors.purple),
            caution: hLine(t.basisCautionMax, colors.red, '\u2264 ' + t.basisCautionMax + '% Caution'),
            rebuild: hLine(t.basisRebuildMin, colors.green, '\u2265 ' + t.basisRebuildMin + '% Rebuild'),
            snapback: hLine(t.basisSnapbackMin, colors.purple, '\u2265 ' + t.basisSnapbackMin + '% Snapback')
          }
        }
      }
    }
  });

  // Funding (left axis) and open interest (right axis).
  make('chart-derivatives', {
    type: 'line',
    data: {
      labels: data.sessions,
      datasets: [
        { label: 'Funding (annualised %)', data: data.funding, borderColor: colors.amber, backgroundColor: colors.amber, yAxisID: 'y', pointRadius: 1.5, borderWidth: 2 },
        { label: 'Offshore open interest (BTC)', data: data.offshoreOpenInterest, borderColor: colors.blue, backgroundColor: colors.blue, yAxisID: 'oi', pointRadius: 1, borderWidth: 2 },
        { label: 'CME open interest (BTC)', data: data.cmeOpenInterest, borderColor: colors.grey, backgroundColor: colors.grey, yAxisID: 'oi', pointRadius: 0, borderWidth: 2, stepped: true, borderDash: [4, 3] }
      ]
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: dateAxis,
        y: valueAxis('funding %', { position: 'left' }),
        oi: { position: 'right', title: { display: true, text: 'BTC' }, grid: { drawOnChartArea: false } }
      },
      plugins: {
        legend: { position: 'bottom' },
        annotation: {
          annotations: {
            subdued: hLine(t.fundingSubduedMax, colors.green, t.fundingSubduedMax + '% subdued'),
            risk: hLine(t.fundingRiskMin, colors.red, t.fundingRiskMin + '% risk')
          }
        }
      }
    }
  });

  // Regime timeline: one band over the same sessions, coloured by regime (names in tooltip and legend).
  make('chart-timeline', {
    type: 'bar',
    data: {
      labels: data.sessions,
      datasets: [{
        label: 'Regime',
        data: data.regimes.map(function (r) { return r ? 1 : null; }),
        backgroundColor: data.regimes.map(function (r) { return r ? (regimeColors[r] || colors.grey) : 'transparent'; }),
        barPercentage: 1, categoryPercentage: 1
      }]
    },
    options: {
      layout: { padding: { left: axisWidth } },
      scales: { x: dateAxis, y: { display: false, min: 0, max: 1 } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (item) { return data.regimes[item.dataIndex] || 'not evaluated'; }
          }
        }
      }
    }
  });

  // Evidence: BTC's close with each episode shaded by scenario, and the Rebuild threshold sweep.
  var evidenceElement = document.getElementById('evidence-data');
  if (evidenceElement) {
    var evidence = JSON.parse(evidenceElement.textContent || '{}');
    var spans = {};
    evidence.episodes.forEach(function (e, i) {
      spans['episode' + i] = { type: 'box', xMin: e.start, xMax: e.end, backgroundColor: alpha(regimeColors[e.scenario] || colors.grey, 0.18), borderWidth: 0, drawTime: 'beforeDatasetsDraw' };
    });
    make('chart-evidence-price', {
      type: 'line',
      data: {
        labels: evidence.prices.map(function (p) { return p.date; }),
        datasets: [{ label: 'BTC close', data: evidence.prices.map(function (p) { return p.close; }), borderColor: colors.ink, borderWidth: 1.2, pointRadius: 0 }]
      },
      options: {
        scales: { x: dateAxis, y: valueAxis('USD') },
        plugins: { legend: { display: false }, annotation: { annotations: spans } }
      }
    });
    if (evidence.sweep) {
      make('chart-evidence-sweep', {
        type: 'line',
        data: {
          labels: evidence.sweep.values.map(function (v) { return String(v); }),
          datasets: [
            { label: 'in sample', data: evidence.sweep.inSample, borderColor: colors.green, backgroundColor: colors.green },
            { label: 'out of sample', data: evidence.sweep.outOfSample, borderColor: colors.green, backgroundColor: colors.green, borderDash: [6, 4] }
          ]
        },
        options: {
          scales: { y: valueAxis('mean 10-session return %', { }) },
          plugins: { legend: { position: 'bottom' }, annotation: { annotations: { zero: { type: 'line', yMin: 0, yMax: 0, borderColor: '#5b6473', borderWidth: 1 } } } }
        }
      });
    }
  }

  document.documentElement.setAttribute('data-charts', 'ready');
}());
