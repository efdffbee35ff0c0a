package io.ferry.connector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

import io.ferry.config.ConfigFile;
import io.ferry.config.SettingProblem;
import io.ferry.http.ApiCallRecorder;
import io.ferry.http.ApiHttp;
import io.ferry.http.CallBudgets;
import io.ferry.kernel.ConfigurationException;

/**
 * What every vendor component shares: its connection and read timeouts (component options
 * {@code connect-timeout} and {@code read-timeout}, in ms), one {@link ApiHttp} transport, made on first use with
 * the API-call log as its recorder and closed when the component stops, and the check of the settings it needs.
 * <p>
 * Those settings are not checked when an endpoint is made: every route's endpoints are made when Camel starts, so
 * one vendor without credentials would stop every sync. Instead {@link #settingProblems()} says what is missing,
 * the syncs whose routes use the component are reported not configured and kept stopped (io.ferry.config), and
 * the others run.
 * <p>
 * The timeouts' declared defaults are those of most connectors; a component whose defaults differ redeclares the
 * option on its overriding setter (Camel's tooling reads a setter's @Metadata before the field's).
 */
public abstract class ConnectorComponent extends DefaultComponent {

    private final String system;
    @Metadata(label = "advanced", defaultValue = "10000", description = "How long (ms) a call waits to connect to the"
            + " server; one that cannot connect in time fails as transient.")
    private int connectTimeout;
    @Metadata(label = "advanced", defaultValue = "30000", description = "How long (ms) a call waits for the server's"
            + " answer; one not answered in time fails as transient.")
    private int readTimeout;
    private ApiHttp http;
    private CallBudgets ownBudgets;

    protected ConnectorComponent(String system, int connectTimeout, int readTimeout) {
        this.system = system;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** The settings of this component that are not set or not usable, all of them; empty when it can be used. */
    public final List<SettingProblem> settingProblems() {
        List<SettingProblem> problems = new ArrayList<>();
        checkSettings(problems);
        return problems;
    }

    /** Adds a problem for each setting the component needs that is not set or not usable. */
    protected abstract void checkSettings(List<SettingProblem> problems);

    /** Endpoint parameters that a route must give a value, e.g. the URL of a JellyFish system. */
    public Set<String> requiredParameters() {
        return Set.of();
    }

    /** The property of a component option, e.g. {@code camel.component.kingdee.base-url}. */
    protected String property(String option) {
        return "camel.component." + system + "." + option;
    }

    /** Adds "is not set" for an option without a value. */
    protected void require(List<SettingProblem> problems, String option, String value) {
        if (value == null || value.isBlank()) {
            problems.add(SettingProblem.notSet(property(option)));
        }
    }

    /** Component options as a message names them: each property with the environment variable it is read from. */
    protected String describe(String... options) {
        ConfigFile file = configFile();
        List<String> names = new ArrayList<>();
        for (String option : options) {
            names.add(file.describe(property(option)));
        }
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /**
     * Throws, naming every missing setting, when the component is used while it cannot be. A sync's routes are kept
     * stopped then; this is for any other route that calls the component.
     */
    protected void requireSettings() {
        List<SettingProblem> problems = settingProblems();
        if (!problems.isEmpty()) {
            ConfigFile file = configFile();
            throw new ConfigurationException(system + " is not configured: "
                    + problems.stream().map(p -> p.in(file).toString()).collect(Collectors.joining("; ")));
        }
    }

    private ConfigFile configFile() {
        ConfigFile file = getCamelContext() == null ? null : getCamelContext().getRegistry().findSingleByType(ConfigFile.class);
        return file != null ? file : ConfigFile.load();
    }

    public synchronized ApiHttp http() {
        if (http == null) {
            http = new ApiHttp(system, Duration.ofMillis(connectTimeout), Duration.ofMillis(readTimeout));
            http.setRecorder(getCamelContext().getRegistry().findSingleByType(ApiCallRecorder.class));
        }
        return http;
    }

    /**
     * The process's call budgets, one per vendor app key (made on first use, kept in the Camel registry); a
     * component used outside a Camel context has its own.
     */
    protected CallBudgets callBudgets() {
        var context = getCamelContext();
        if (context == null) {
            synchronized (this) {
                if (ownBudgets == null) {
                    ownBudgets = new CallBudgets();
                }
                return ownBudgets;
            }
        }
        return callBudgets(context);
    }

    /** The context's call budgets, bound in its registry on first use: every component and the metrics share them. */
    public static CallBudgets callBudgets(org.apache.camel.CamelContext context) {
        synchronized (context) {
            CallBudgets budgets = context.getRegistry().findSingleByType(CallBudgets.class);
            if (budgets == null) {
                budgets = new CallBudgets();
                context.getRegistry().bind("ferryCallBudgets", budgets);
            }
            return budgets;
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (http != null) {
            http.close();
            http = null;
        }
        super.doStop();
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(int readTimeout) {
        this.readTimeout = readTimeout;
    }
}
