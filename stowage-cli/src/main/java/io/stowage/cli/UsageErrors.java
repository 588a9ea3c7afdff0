package io.stowage.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Wrong usage in our own words: picocli's texts ("Unmatched argument at index 0", "Value for option
 * option '--meta'") name its parser, not the user's mistake. Each message ends with the help of the
 * command that was typed.
 */
final class UsageErrors {

    private static final Pattern KEY_VALUE = Pattern.compile(
            "Value for option option '([^']+)' \\(([^)]+)\\) should be in KEY=VALUE format but was (.*)");
    private static final Pattern NOT_A_NUMBER = Pattern.compile(
            "Invalid value for (?:option|positional parameter) '([^']+)'(?: \\([^)]*\\))?: '(.*)' is not an? (?:int|long)\\b.*");

    private UsageErrors() {
    }

    /** One line for {@code e}, without the {@code stowage: } prefix. */
    static String describe(ParameterException e) {
        CommandLine cl = e.getCommandLine();
        String command = cl.getCommandSpec().qualifiedName();
        String help = " (see '" + command + " --help')";
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (cl.getCommandSpec().parent() == null && !first.startsWith("-")) {
                return "'" + first + "' is not a stowage command" + help;
            }
            return first.startsWith("-")
                    ? "'" + command + "' has no option '" + first + "'" + help
                    : "'" + command + "' takes no further argument, got '" + String.join(" ", unmatched) + "'" + help;
        }
        if (e instanceof CommandLine.MissingParameterException m) {
            String missing = m.getMissing().stream().map(UsageErrors::name).collect(Collectors.joining(" and "));
            boolean option = !m.getMissing().isEmpty() && m.getMissing().get(0) instanceof OptionSpec;
            return option ? missing + " needs a value" + help : "missing " + missing + help;
        }
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        Matcher kv = KEY_VALUE.matcher(message);
        if (kv.matches()) {
            return kv.group(1) + " takes " + kv.group(2) + ", got '" + kv.group(3) + "'" + help;
        }
        Matcher number = NOT_A_NUMBER.matcher(message);
        if (number.matches()) {
            return number.group(1) + " takes a whole number, got '" + number.group(2) + "'" + help;
        }
        if (message.startsWith("Unknown option")) {
            return "'" + command + "' has no option " + message.replaceFirst("^Unknown options?:\\s*", "") + help;
        }
        return message.replace("option option", "option") + help;
    }

    private static String name(ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            return o.longestName() + " " + o.paramLabel();
        }
        return arg.paramLabel();
    }
}
