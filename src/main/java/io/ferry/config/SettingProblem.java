package io.ferry.config;

/**
 * A setting a sync needs that is not set or not usable.
 *
 * @param property            the property (e.g. {@code camel.component.kingdee.base-url}); null when no property feeds
 *                            the value (a route parameter written out in the route file)
 * @param environmentVariable the variable application.properties reads the property from; null when none
 * @param problem             what is wrong, e.g. {@code is not set}
 */
public record SettingProblem(String property, String environmentVariable, String problem) {

    public static SettingProblem notSet(String property) {
        return new SettingProblem(property, null, "is not set");
    }

    public static SettingProblem of(String property, String problem) {
        return new SettingProblem(property, null, problem);
    }

    /** The same problem, naming the variable application.properties reads the property from. */
    public SettingProblem in(ConfigFile file) {
        if (property == null || environmentVariable != null) {
            return this;
        }
        return new SettingProblem(property, file.environmentVariable(property), problem);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (property != null) {
            b.append(property);
            if (environmentVariable != null) {
                b.append(" (").append(environmentVariable).append(')');
            }
            b.append(' ');
        }
        return b.append(problem).toString();
    }
}
