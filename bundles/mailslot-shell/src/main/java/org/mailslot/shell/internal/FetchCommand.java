package org.mailslot.shell.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.retrieval.Accounts;

@Service
@Command(scope = "mailslot", name = "fetch",
        description = "Synchronises a retrieval account now (cutting an IDLE or a poll wait short) and says how many new"
                + " messages were stored locally; while it runs, every few seconds, how many so far.")
public class FetchCommand implements Action {

    @Reference(optional = true)
    Accounts accounts;

    @Argument(index = 0, name = "name", description = "The account's name, as mailslot:accounts shows it", required = true)
    @Completion(AccountNameCompleter.class)
    String name;

    @Override
    public Object execute() throws IOException, InterruptedException {
        Accounts accounts = Services.require(this.accounts, Accounts.class, "mailslot-retrieval");
        long before = accounts.find(name).map(AccountStatus::retrieved).orElse(0L);
        CompletableFuture<Integer> fetch = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                fetch.complete(accounts.fetch(name));
            } catch (Throwable e) {
                fetch.completeExceptionally(e);
            }
        }, "mailslot:fetch " + name);
        worker.setDaemon(true);
        worker.start();
        Progress progress = new Progress(System.out);
        int stored;
        while (true) {
            try {
                stored = fetch.get(Progress.EVERY.toMillis() / 4, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                progress.report(() -> accounts.find(name).map(status -> name + ": " + status.state() + ", "
                        + (status.retrieved() - before) + " stored so far").orElse(name + ": fetching"));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        System.out.println(name + ": " + stored + (stored == 1 ? " new message" : " new messages"));
        return null;
    }
}
