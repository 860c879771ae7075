package perceptron.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import org.knowm.xchart.style.markers.Circle;
import org.knowm.xchart.style.markers.Cross;
import org.knowm.xchart.style.markers.Diamond;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.Plus;
import org.knowm.xchart.style.markers.Square;
import org.knowm.xchart.style.markers.TriangleDown;
import org.knowm.xchart.style.markers.TriangleUp;

/**
 * A matplotlib format string such as {@code "-"}, {@code "m--"}, {@code "g-."}, {@code "r:"} or {@code "bo-"}: an
 * optional colour letter (b g r c m y k w), an optional marker (o . s ^ v d D + x) and an optional line style
 * (- -- -. :). No line style with a marker means markers only, as in matplotlib.
 *
 * @param color  null for the next colour of the cycle
 * @param stroke null for no line
 * @param marker null for no marker
 */
record LineFormat(Color color, BasicStroke stroke, Marker marker) {

    /** Line width in points (matplotlib's default 1.5). */
    static final float LINE_WIDTH = 1.5f;

    /** matplotlib's default colour cycle ("tab10"). */
    static final Color[] CYCLE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    /** d2l's default formats: solid, magenta dashed, green dash-dot, red dotted. */
    static final String[] D2L_FMTS = {"-", "m--", "g-.", "r:"};

    static LineFormat parse(String fmt) {
        String s = fmt == null ? "" : fmt.trim();
        Color color = null;
        Marker marker = null;
        String style = null;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("--", i) || s.startsWith("-.", i)) {
                style = s.substring(i, i + 2);
                i += 2;
                continue;
            }
            if (c == '-' || c == ':') {
                style = String.valueOf(c);
            } else if ("bgrcmykw".indexOf(c) >= 0 && color == null) {
                color = colorOf(c);
            } else if ("o.s^vdD+x".indexOf(c) >= 0 && marker == null) {
                marker = markerOf(c);
            } else {
                throw new IllegalArgumentException("fmt: cannot read '" + fmt + "' at '" + c + "'; use a colour letter "
                        + "(b g r c m y k w), a marker (o . s ^ v d + x) and a line style (- -- -. :), e.g. \"m--\"");
            }
            i++;
        }
        if (style == null && marker == null) {
            style = "-";
        }
        return new LineFormat(color, style == null ? null : strokeOf(style), marker);
    }

    private static Color colorOf(char c) {
        switch (c) {
            case 'b': return new Color(0, 0, 255);
            case 'g': return new Color(0, 128, 0);
            case 'r': return new Color(255, 0, 0);
            case 'c': return new Color(0, 191, 191);
            case 'm': return new Color(191, 0, 191);
            case 'y': return new Color(191, 191, 0);
            case 'k': return Color.BLACK;
            default: return Color.WHITE;
        }
    }

    private static Marker markerOf(char c) {
        switch (c) {
            case 'o':
            case '.': return new Circle();
            case 's': return new Square();
            case '^': return new TriangleUp();
            case 'v': return new TriangleDown();
            case 'd':
            case 'D': return new Diamond();
            case '+': return new Plus();
            default: return new Cross();
        }
    }

    /** Dash patterns in points, matplotlib's for a 1.5 pt line. */
    private static BasicStroke strokeOf(String style) {
        switch (style) {
            case "--": return dashed(5.55f, 2.4f);
            case "-.": return dashed(9.6f, 2.4f, 1.5f, 2.4f);
            case ":": return dashed(1.5f, 2.475f);
            default: return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
        }
    }

    private static BasicStroke dashed(float... pattern) {
        return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, pattern, 0f);
    }
}
