package io.ferry.config;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, once the route files are loaded and the components have their options but before any route
 * starts: checks every sync's settings, binds the result ({@link SyncConfiguration#BEAN}) and
 * application.properties' variable names ({@link ConfigFile}), keeps the routes of the syncs that are not
 * configured stopped, and logs one line for each of them. Every other sync starts as usual.
 */
public class SyncConfigurationListener extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SyncConfigurationListener.class);

    private final ConfigFile file;

    public SyncConfigurationListener(ConfigFile file) {
        this.file = file;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        camel.getRegistry().bind("ferryConfigFile", file);
        SyncConfiguration configuration = SyncConfigurationCheck.check(camel, file);
        configuration.keepRoutesStopped();
        camel.getRegistry().bind(SyncConfiguration.BEAN, configuration);
        for (String sync : configuration.notConfigured().keySet()) {
            LOG.warn("{}: {} (its routes are not started; the other syncs run)", sync, configuration.message(sync));
        }
    }
}
