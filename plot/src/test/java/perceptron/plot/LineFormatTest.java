package perceptron.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import org.junit.jupiter.api.Test;

class LineFormatTest {

    @Test
    void matplotlibFormatStrings() {
        LineFormat solid = LineFormat.parse("-");
        assertNull(solid.color());
        assertNull(solid.stroke().getDashArray());
        LineFormat dashed = LineFormat.parse("m--");
        assertEquals(new Color(191, 0, 191), dashed.color());
        assertNotNull(dashed.stroke().getDashArray());
        assertEquals(4, LineFormat.parse("g-.").stroke().getDashArray().length);
        assertEquals(2, LineFormat.parse("r:").stroke().getDashArray().length);
        LineFormat markers = LineFormat.parse("bo");
        assertNull(markers.stroke(), "a marker alone draws no line");
        assertNotNull(markers.marker());
        assertNotNull(LineFormat.parse("k-s").stroke());
        assertEquals(LineFormat.LINE_WIDTH, LineFormat.parse("").stroke().getLineWidth());
        assertThrows(IllegalArgumentException.class, () -> LineFormat.parse("z"));
    }
}
