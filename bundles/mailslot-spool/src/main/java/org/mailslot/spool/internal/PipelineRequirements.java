package org.mailslot.spool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.pipeline.RequiredStage;
import org.mailslot.api.pipeline.StageNeed;

/**
 * Answers which stages of the pipeline, as the scheduler would run it, a message may not skip
 * ({@link org.mailslot.api.pipeline.OutboundPipeline#requiredFor}).
 */
final class PipelineRequirements {

    private final List<String> requiredStages;
    private final Supplier<List<DeliveryScheduler.NamedProcessor>> processors;

    PipelineRequirements(List<String> requiredStages, Supplier<List<DeliveryScheduler.NamedProcessor>> processors) {
        this.requiredStages = List.copyOf(requiredStages);
        this.processors = processors;
    }

    List<RequiredStage> requiredFor(Envelope envelope) {
        List<DeliveryScheduler.NamedProcessor> stages = processors.get();
        List<RequiredStage> required = new ArrayList<>();
        for (String name : requiredStages) {
            if (stages.stream().noneMatch(stage -> stage.name().equals(name))) {
                required.add(new RequiredStage(name, "the required stage " + name
                        + " (pipeline.required) is not running, is its bundle started?"));
            }
        }
        for (DeliveryScheduler.NamedProcessor stage : stages) {
            StageNeed need;
            try {
                need = stage.processor().needFor(envelope);
            } catch (RuntimeException e) {
                need = StageNeed.needed(stage.name() + " failed to tell whether it may be skipped: " + e);
            }
            if (need == null) {
                need = StageNeed.unknown();
            }
            if (need.kind() == StageNeed.Kind.NEEDED) {
                required.add(new RequiredStage(stage.name(), need.reason()));
            } else if (need.kind() == StageNeed.Kind.UNKNOWN && requiredStages.contains(stage.name())) {
                required.add(new RequiredStage(stage.name(), "the required stage " + stage.name()
                        + " (pipeline.required) runs for every message and does not say this one may skip it"));
            }
        }
        return List.copyOf(required);
    }
}
