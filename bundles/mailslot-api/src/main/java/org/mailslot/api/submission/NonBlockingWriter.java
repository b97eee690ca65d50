package org.mailslot.api.submission;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link MessageWriter} from a {@link NonBlockingSubmission}: its commit can be asked for
 * without the caller waiting for storage.
 *
 * @since 2.0
 */
@ProviderType
public interface NonBlockingWriter extends MessageWriter {

    /**
     * Commits as {@link #commit()} does, without the caller waiting: the stage completes with the
     * receipt once the message is durable, or exceptionally with the {@link SubmissionException}.
     * The default runs {@link #commit()} on {@code blocking}; a storage that commits in groups
     * completes the stage from its own thread instead, so that an event loop can hand a message
     * over and answer when the stage completes.
     *
     * @param blocking where to run a commit that blocks, if this writer's does (a large message)
     */
    default CompletionStage<SubmissionReceipt> commitAsync(Executor blocking) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return commit();
            } catch (SubmissionException e) {
                throw new CompletionException(e);
            }
        }, blocking);
    }
}
