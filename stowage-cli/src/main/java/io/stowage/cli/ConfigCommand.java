package io.stowage.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = "Show the effective configuration.",
        subcommands = ConfigCommand.Show.class)
final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Override
    public Integer call() {
        root.ctx().out().print(root.config().describe());
        root.ctx().out().flush();
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "Every setting with its source (flag, env, .env, yaml, default); "
            + "secrets masked.")
    static final class Show implements Callable<Integer> {

        @ParentCommand
        ConfigCommand config;

        @Override
        public Integer call() {
            return config.call();
        }
    }
}
