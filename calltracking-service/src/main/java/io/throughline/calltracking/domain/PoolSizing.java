package io.throughline.calltracking.domain;

/**
 * How many numbers a pool needs (Little's law, with the hold after leaving): the peak number of new sessions a
 * minute, times how long each holds a number (average session minutes plus the hold), with 30 % headroom.
 */
public final class PoolSizing {

    public static final double HEADROOM = 1.3;

    private PoolSizing() {
    }

    public static int recommended(double peakNewSessionsPerMinute, double averageSessionMinutes, double holdMinutes) {
        if (peakNewSessionsPerMinute <= 0) {
            return 1;
        }
        return (int) Math.ceil(peakNewSessionsPerMinute * (averageSessionMinutes + holdMinutes) * HEADROOM);
    }
}
