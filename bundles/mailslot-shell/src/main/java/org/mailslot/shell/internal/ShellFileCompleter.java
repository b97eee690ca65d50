package org.mailslot.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.osgi.service.cm.ConfigurationAdmin;

/** Completes the names of the plain files in the shell's directory, the only files commands take. */
@Service
public class ShellFileCompleter implements Completer {

    @Reference(optional = true)
    ConfigurationAdmin configurationAdmin;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        try (Stream<Path> files = Files.list(ShellFiles.configured(configurationAdmin).directory())) {
            files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .forEach(file -> names.getStrings().add(file.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            // No directory yet, or a bad files.directory: nothing to offer; the command says why.
        }
        return names.complete(session, commandLine, candidates);
    }
}
