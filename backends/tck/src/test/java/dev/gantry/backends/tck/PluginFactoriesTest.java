package dev.gantry.backends.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.spi.BackendFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginFactoriesTest {

    @Test
    void factoryComesFromItsOwnPluginClassLoader() throws URISyntaxException {
        BackendFactory factory = PluginFactories.load(TypeOnlyBackendFactory.TYPE, List.of(testClasses()));

        assertThat(factory.type()).isEqualTo(TypeOnlyBackendFactory.TYPE);
        assertThat(factory).isNotInstanceOf(TypeOnlyBackendFactory.class);
    }

    @Test
    void sameFactoryIsReturnedForTheSamePaths() throws URISyntaxException {
        BackendFactory first = PluginFactories.load(TypeOnlyBackendFactory.TYPE, List.of(testClasses()));

        BackendFactory second = PluginFactories.load(TypeOnlyBackendFactory.TYPE, List.of(testClasses()));

        assertThat(second).isSameAs(first);
    }

    @Test
    void typeThePluginLacksFailsNamingTheRuleAndTheOfferedTypes() {
        assertThatThrownBy(() -> PluginFactories.load("no-such-type", List.of(testClasses())))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(ContractRule.PLUGIN_LOADS.toString())
                .hasMessageContaining("'no-such-type'")
                .hasMessageContaining(TypeOnlyBackendFactory.TYPE);
    }

    @Test
    void pluginTheLoaderRefusesFailsNamingTheRuleAndTheReason() {
        Path missing = Path.of("target", "no-such-plugin.jar");

        assertThatThrownBy(() -> PluginFactories.load(TypeOnlyBackendFactory.TYPE, List.of(missing)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(ContractRule.PLUGIN_LOADS.toString())
                .hasMessageContaining("does not exist");
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(TypeOnlyBackendFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
