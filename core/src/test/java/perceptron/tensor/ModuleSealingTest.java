package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What module {@code perceptron.core} lets an application on the module path do: the tests themselves run on
 * the class path, so this loads the compiled classes (target/classes, with their module-info) as a named module
 * in a fresh layer and asks it, as a user's module would.
 */
class ModuleSealingTest {

    private static Module core() {
        Path classes = Path.of("target/classes");
        assertTrue(Files.exists(classes.resolve("module-info.class")), "module-info.class is compiled");
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(ModuleFinder.of(classes), ModuleFinder.of(),
                Set.of("perceptron.core"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        return layer.findModule("perceptron.core").orElseThrow();
    }

    @Test
    void theApiPackagesAreExportedAndTheInternalOnesAreNot() {
        Module core = core();
        for (String api : new String[] {"perceptron.tensor", "perceptron.nn", "perceptron.kernels",
                "perceptron.autograd", "perceptron.train", "perceptron.optim", "perceptron.loss", "perceptron.data",
                "perceptron.io", "perceptron.onnx", "perceptron.ops", "perceptron.analysis", "perceptron.nn.init"}) {
            assertTrue(core.isExported(api), api + " is exported");
        }
        for (String internal : core.getPackages()) {
            if (internal.startsWith("perceptron.internal")) {
                assertFalse(core.isExported(internal), internal + " is not exported");
                assertFalse(core.isOpen(internal), internal + " is not open");
            }
        }
        assertTrue(core.getPackages().contains("perceptron.internal.kernels"));
        assertTrue(core.getPackages().contains("perceptron.internal.tensor"));
        assertEquals(Set.of(), core.getDescriptor().opens(), "no package is open to reflection");
    }

    @Test
    void aModuleUserCannotReachATensorsArraysOrTheKernels() throws Exception {
        Module core = core();
        ClassLoader loader = core.getClassLoader();
        Class<?> tensor = Class.forName("perceptron.tensor.Tensor", true, loader);
        for (String raw : new String[] {"floatData", "doubleData", "storage", "gradNode"}) {
            assertFalse(Modifier.isPublic(tensor.getDeclaredMethod(raw).getModifiers()), raw + " is not public");
        }
        Object t = tensor.getMethod("of", float[].class).invoke(null, (Object) new float[] {1, 2, 3});

        Method floatData = Class.forName("perceptron.internal.tensor.TensorInternals", true, loader)
                .getMethod("floatData", tensor);
        assertThrows(IllegalAccessException.class, () -> floatData.invoke(null, t));
        assertThrows(RuntimeException.class, () -> floatData.setAccessible(true));   // InaccessibleObjectException

        Class<?> scalar = Class.forName("perceptron.internal.kernels.ScalarKernels", true, loader);
        assertThrows(IllegalAccessException.class, () -> scalar.getDeclaredConstructor().newInstance());
        assertTrue(scalar.isSealed(), "no one outside the library can extend the reference kernels");

        // What an application needs still works: the kernels' name, and the tensor's values as a copy.
        Object kernels = Class.forName("perceptron.kernels.Kernels", true, loader).getMethod("get").invoke(null);
        Object name = Class.forName("perceptron.kernels.Kernels", true, loader).getMethod("name").invoke(kernels);
        assertTrue(name.equals("scalar") || name.equals("vector"), "kernels: " + name);
        float[] copy = (float[]) tensor.getMethod("toFloatArray").invoke(t);
        copy[0] = 99;
        assertEquals(1.0, (double) tensor.getMethod("get", int[].class).invoke(t, (Object) new int[] {0}), 0.0,
                "writing to toFloatArray's copy leaves the tensor as it was");
    }
}
