using System.Globalization;
using System.Net;
using System.Text;

namespace SecHubFanout.Cli.Analytics;

/// <summary>Inline SVG charts drawn server-side, so the report needs no script and no network to show them.</summary>
internal static class SvgCharts
{
    /// <summary>One line of a line chart: a label, a colour, and a value at each x.</summary>
    public sealed record Series(string Label, string Color, IReadOnlyList<long> Values);

    /// <summary>A line chart with one path per series over shared x labels (hours), with axes, gridlines and a legend.</summary>
    public static string Lines(IReadOnlyList<string> xLabels, IReadOnlyList<Series> series, string yTitle)
    {
        const int width = 960, height = 320, left = 56, right = 16, top = 16, bottom = 64;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var yMax = NiceCeiling(max);
        double X(int i) => left + (xLabels.Count <= 1 ? plotWidth / 2.0 : i * (double)plotWidth / (xLabels.Count - 1));
        double Y(long v) => top + plotHeight - (v * (double)plotHeight / yMax);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart line-chart\" viewBox=\"0 0 {width} {height + 28}\" role=\"img\" aria-label=\"{Html(yTitle)}\">");
        for (var g = 0; g <= 4; g++)
        {
            var value = yMax * g / 4;
            var y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{value}</text>");
        }

        // At most ~9 x labels, so hours do not overprint.
        var step = Math.Max(1, (int)Math.Ceiling(xLabels.Count / 9.0));
        for (var i = 0; i < xLabels.Count; i += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{X(i):0.#}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{Html(xLabels[i])}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{top + plotHeight}\" y2=\"{top + plotHeight}\"/>");
        foreach (var s in series)
        {
            var d = new StringBuilder();
            for (var i = 0; i < s.Values.Count; i++)
            {
                d.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "M" : " L")}{X(i):0.#},{Y(s.Values[i]):0.#}");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"series\" data-series=\"{Html(s.Label)}\" d=\"{d}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2.5\"/>");
            if (s.Values.Count == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(0):0.#}\" cy=\"{Y(s.Values[0]):0.#}\" r=\"4\" fill=\"{s.Color}\"/>");
            }
        }

        Legend(svg, series, left, height);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A column chart: per x label one column per series side by side, with axes, gridlines and a legend.</summary>
    public static string Columns(IReadOnlyList<string> xLabels, IReadOnlyList<Series> series, string title)
    {
        const int width = 960, height = 280, left = 56, right = 16, top = 16, bottom = 64;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var yMax = NiceCeiling(Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max()));
        var slot = plotWidth / (double)Math.Max(1, xLabels.Count);
        var column = Math.Max(1, slot * 0.8 / Math.Max(1, series.Count));
        double Y(long v) => top + plotHeight - (v * (double)plotHeight / yMax);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart column-chart\" viewBox=\"0 0 {width} {height + 28}\" role=\"img\" aria-label=\"{Html(title)}\">");
        for (var g = 0; g <= 4; g++)
        {
            var value = yMax * g / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(value):0.#}\" y2=\"{Y(value):0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{left - 6}\" y=\"{Y(value) + 4:0.#}\" text-anchor=\"end\">{value}</text>");
        }

        var step = Math.Max(1, (int)Math.Ceiling(xLabels.Count / 9.0));
        for (var i = 0; i < xLabels.Count; i++)
        {
            var x0 = left + i * slot + slot * 0.1;
            for (var k = 0; k < series.Count; k++)
            {
                var value = series[k].Values[i];
                var y = Y(value);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"column\" data-series=\"{Html(series[k].Label)}\" data-x=\"{Html(xLabels[i])}\" data-value=\"{value}\" x=\"{x0 + k * column:0.#}\" y=\"{y:0.#}\" width=\"{column:0.#}\" height=\"{top + plotHeight - y:0.#}\" fill=\"{series[k].Color}\"><title>{Html(xLabels[i])} {Html(series[k].Label)}: {value}</title></rect>");
            }

            if (i % step == 0)
            {
                // Kept inside the chart: the last label would otherwise run past its right edge.
                var labelX = Math.Min(left + (i + 0.5) * slot, width - right - 36);
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{labelX:0.#}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{Html(xLabels[i])}</text>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{top + plotHeight}\" y2=\"{top + plotHeight}\"/>");
        Legend(svg, series, left, height);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A horizontal bar chart: one labelled bar per item, lengths proportional to the values.</summary>
    public static string Bars(IReadOnlyList<(string Label, long Value, string Color)> items, string title)
    {
        const int width = 960, barHeight = 22, gap = 8, labelWidth = 260, valueWidth = 70;
        var height = Math.Max(1, items.Count) * (barHeight + gap) + gap;
        var max = Math.Max(1, items.Select(i => i.Value).DefaultIfEmpty(0).Max());
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart bar-chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Html(title)}\">");
        for (var i = 0; i < items.Count; i++)
        {
            var (label, value, color) = items[i];
            var y = gap + i * (barHeight + gap);
            var length = Math.Max(2, value * (double)(width - labelWidth - valueWidth) / max);
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-label\" x=\"{labelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{Html(Truncate(label, 34))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{labelWidth}\" y=\"{y}\" width=\"{length:0.#}\" height=\"{barHeight}\" rx=\"3\" fill=\"{color}\"><title>{Html(label)}: {value}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-value\" x=\"{labelWidth + length + 6:0.#}\" y=\"{y + 15}\">{value}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<Series> series, int left, int height)
    {
        var legendX = left;
        foreach (var s in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"legend\" x=\"{legendX}\" y=\"{height - 10}\" width=\"12\" height=\"12\" fill=\"{s.Color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"legend-label\" x=\"{legendX + 18}\" y=\"{height + 1}\">{Html(s.Label)} ({s.Values.Sum()})</text>");
            legendX += 40 + (s.Label.Length + 8) * 8;
        }
    }

    public static string Html(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    // Four gridlines at round steps (1, 2 or 5 times a power of ten).
    private static long NiceCeiling(long value)
    {
        var raw = Math.Max(1, (value + 3) / 4);
        var magnitude = (long)Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1L, 2L, 5L, 10L }.Select(f => f * magnitude).First(s => s >= raw);
        return step * 4;
    }
}
