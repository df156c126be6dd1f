
#ifndef _BRIAN_OBJECTS_H
#define _BRIAN_OBJECTS_H

#include "synapses_classes.h"
#include "brianlib/clocks.h"
#include "brianlib/dynamic_array.h"
#include "brianlib/stdint_compat.h"
#include "network.h"
#include<random>
#include<vector>


namespace brian {

extern std::string results_dir;

class RandomGenerator {
    private:
        std::mt19937 gen;
        double stored_gauss;
        bool has_stored_gauss = false;
    public:
        RandomGenerator() {
            seed();
        }
        void seed() {
            std::random_device rd;
            gen.seed(rd());
            has_stored_gauss = false;
        }
        void seed(unsigned long seed) {
            gen.seed(seed);
            has_stored_gauss = false;
        }
        double rand() {
            /* shifts : 67108864 = 0x4000000, 9007199254740992 = 0x20000000000000 */
            const long a = gen() >> 5;
            const long b = gen() >> 6;
            return (a * 67108864.0 + b) / 9007199254740992.0;
        }

        double randn() {
            if (has_stored_gauss) {
                const double tmp = stored_gauss;
                has_stored_gauss = false;
                return tmp;
            }
            else {
                double f, x1, x2, r2;

                do {
                    x1 = 2.0*rand() - 1.0;
                    x2 = 2.0*rand() - 1.0;
                    r2 = x1*x1 + x2*x2;
                }
                while (r2 >= 1.0 || r2 == 0.0);

                /* Box-Muller transform */
                f = sqrt(-2.0*log(r2)/r2);
                /* Keep for next call */
                stored_gauss = f*x1;
                has_stored_gauss = true;
                return f*x2;
            }
        }
};

// In OpenMP we need one state per thread
extern std::vector< RandomGenerator > _random_generators;

//////////////// clocks ///////////////////
extern Clock scrutable_ei_clock;
extern Clock scrutable_exc_clock;
extern Clock scrutable_exc_rest_clock;
extern Clock scrutable_ie_clock;
extern Clock scrutable_inh_clock;
extern Clock scrutable_inh_rest_clock;
extern Clock scrutable_input_clock;
extern Clock scrutable_normalize_clock;
extern Clock scrutable_syn_clock;

//////////////// networks /////////////////
extern Network network;



void set_variable_by_name(std::string, std::string);

//////////////// dynamic arrays ///////////
extern std::vector<int32_t> _dynamic_array_scrutable_ei__synaptic_post;
extern std::vector<int32_t> _dynamic_array_scrutable_ei__synaptic_pre;
extern std::vector<double> _dynamic_array_scrutable_ei_delay;
extern std::vector<int32_t> _dynamic_array_scrutable_ei_N_incoming;
extern std::vector<int32_t> _dynamic_array_scrutable_ei_N_outgoing;
extern std::vector<int32_t> _dynamic_array_scrutable_ie__synaptic_post;
extern std::vector<int32_t> _dynamic_array_scrutable_ie__synaptic_pre;
extern std::vector<double> _dynamic_array_scrutable_ie_delay;
extern std::vector<int32_t> _dynamic_array_scrutable_ie_N_incoming;
extern std::vector<int32_t> _dynamic_array_scrutable_ie_N_outgoing;
extern std::vector<int32_t> _dynamic_array_scrutable_input__timebins;
extern std::vector<int32_t> _dynamic_array_scrutable_input_neuron_index;
extern std::vector<int32_t> _dynamic_array_scrutable_input_spike_number;
extern std::vector<double> _dynamic_array_scrutable_input_spike_time;
extern std::vector<int32_t> _dynamic_array_scrutable_mon_e_i;
extern std::vector<double> _dynamic_array_scrutable_mon_e_t;
extern std::vector<int32_t> _dynamic_array_scrutable_mon_i_i;
extern std::vector<double> _dynamic_array_scrutable_mon_i_t;
extern std::vector<int32_t> _dynamic_array_scrutable_syn__synaptic_post;
extern std::vector<int32_t> _dynamic_array_scrutable_syn__synaptic_pre;
extern std::vector<double> _dynamic_array_scrutable_syn_apost1;
extern std::vector<double> _dynamic_array_scrutable_syn_apost2;
extern std::vector<double> _dynamic_array_scrutable_syn_apre;
extern std::vector<double> _dynamic_array_scrutable_syn_delay;
extern std::vector<double> _dynamic_array_scrutable_syn_delay_1;
extern std::vector<double> _dynamic_array_scrutable_syn_lastupdate;
extern std::vector<int32_t> _dynamic_array_scrutable_syn_N_incoming;
extern std::vector<int32_t> _dynamic_array_scrutable_syn_N_outgoing;
extern std::vector<double> _dynamic_array_scrutable_syn_post2before;
extern std::vector<double> _dynamic_array_scrutable_syn_w;

//////////////// arrays ///////////////////
extern double *_array_defaultclock_dt;
extern const int _num__array_defaultclock_dt;
extern double *_array_defaultclock_t;
extern const int _num__array_defaultclock_t;
extern int64_t *_array_defaultclock_timestep;
extern const int _num__array_defaultclock_timestep;
extern double *_array_scrutable_ei_clock_dt;
extern const int _num__array_scrutable_ei_clock_dt;
extern double *_array_scrutable_ei_clock_t;
extern const int _num__array_scrutable_ei_clock_t;
extern int64_t *_array_scrutable_ei_clock_timestep;
extern const int _num__array_scrutable_ei_clock_timestep;
extern int32_t *_array_scrutable_ei_N;
extern const int _num__array_scrutable_ei_N;
extern int32_t *_array_scrutable_exc__spikespace;
extern const int _num__array_scrutable_exc__spikespace;
extern double *_array_scrutable_exc_clock_dt;
extern const int _num__array_scrutable_exc_clock_dt;
extern double *_array_scrutable_exc_clock_t;
extern const int _num__array_scrutable_exc_clock_t;
extern int64_t *_array_scrutable_exc_clock_timestep;
extern const int _num__array_scrutable_exc_clock_timestep;
extern double *_array_scrutable_exc_ge;
extern const int _num__array_scrutable_exc_ge;
extern double *_array_scrutable_exc_gi;
extern const int _num__array_scrutable_exc_gi;
extern int32_t *_array_scrutable_exc_i;
extern const int _num__array_scrutable_exc_i;
extern double *_array_scrutable_exc_I_steer;
extern const int _num__array_scrutable_exc_I_steer;
extern double *_array_scrutable_exc_lastspike;
extern const int _num__array_scrutable_exc_lastspike;
extern double *_array_scrutable_exc_learning;
extern const int _num__array_scrutable_exc_learning;
extern char *_array_scrutable_exc_not_refractory;
extern const int _num__array_scrutable_exc_not_refractory;
extern int32_t *_array_scrutable_exc_oidx;
extern const int _num__array_scrutable_exc_oidx;
extern double *_array_scrutable_exc_override;
extern const int _num__array_scrutable_exc_override;
extern double *_array_scrutable_exc_rest_clock_dt;
extern const int _num__array_scrutable_exc_rest_clock_dt;
extern double *_array_scrutable_exc_rest_clock_t;
extern const int _num__array_scrutable_exc_rest_clock_t;
extern int64_t *_array_scrutable_exc_rest_clock_timestep;
extern const int _num__array_scrutable_exc_rest_clock_timestep;
extern double *_array_scrutable_exc_theta;
extern const int _num__array_scrutable_exc_theta;
extern double *_array_scrutable_exc_v;
extern const int _num__array_scrutable_exc_v;
extern double *_array_scrutable_exc_wsum;
extern const int _num__array_scrutable_exc_wsum;
extern double *_array_scrutable_ie_clock_dt;
extern const int _num__array_scrutable_ie_clock_dt;
extern double *_array_scrutable_ie_clock_t;
extern const int _num__array_scrutable_ie_clock_t;
extern int64_t *_array_scrutable_ie_clock_timestep;
extern const int _num__array_scrutable_ie_clock_timestep;
extern int32_t *_array_scrutable_ie_N;
extern const int _num__array_scrutable_ie_N;
extern int32_t *_array_scrutable_inh__spikespace;
extern const int _num__array_scrutable_inh__spikespace;
extern double *_array_scrutable_inh_clock_dt;
extern const int _num__array_scrutable_inh_clock_dt;
extern double *_array_scrutable_inh_clock_t;
extern const int _num__array_scrutable_inh_clock_t;
extern int64_t *_array_scrutable_inh_clock_timestep;
extern const int _num__array_scrutable_inh_clock_timestep;
extern double *_array_scrutable_inh_ge;
extern const int _num__array_scrutable_inh_ge;
extern double *_array_scrutable_inh_gi;
extern const int _num__array_scrutable_inh_gi;
extern int32_t *_array_scrutable_inh_i;
extern const int _num__array_scrutable_inh_i;
extern double *_array_scrutable_inh_I_steer;
extern const int _num__array_scrutable_inh_I_steer;
extern double *_array_scrutable_inh_lastspike;
extern const int _num__array_scrutable_inh_lastspike;
extern char *_array_scrutable_inh_not_refractory;
extern const int _num__array_scrutable_inh_not_refractory;
extern int32_t *_array_scrutable_inh_oidx;
extern const int _num__array_scrutable_inh_oidx;
extern double *_array_scrutable_inh_override;
extern const int _num__array_scrutable_inh_override;
extern double *_array_scrutable_inh_rest_clock_dt;
extern const int _num__array_scrutable_inh_rest_clock_dt;
extern double *_array_scrutable_inh_rest_clock_t;
extern const int _num__array_scrutable_inh_rest_clock_t;
extern int64_t *_array_scrutable_inh_rest_clock_timestep;
extern const int _num__array_scrutable_inh_rest_clock_timestep;
extern double *_array_scrutable_inh_v;
extern const int _num__array_scrutable_inh_v;
extern int32_t *_array_scrutable_input__lastindex;
extern const int _num__array_scrutable_input__lastindex;
extern int32_t *_array_scrutable_input__period_bins;
extern const int _num__array_scrutable_input__period_bins;
extern int32_t *_array_scrutable_input__spikespace;
extern const int _num__array_scrutable_input__spikespace;
extern double *_array_scrutable_input_clock_dt;
extern const int _num__array_scrutable_input_clock_dt;
extern double *_array_scrutable_input_clock_t;
extern const int _num__array_scrutable_input_clock_t;
extern int64_t *_array_scrutable_input_clock_timestep;
extern const int _num__array_scrutable_input_clock_timestep;
extern int32_t *_array_scrutable_input_i;
extern const int _num__array_scrutable_input_i;
extern double *_array_scrutable_input_period;
extern const int _num__array_scrutable_input_period;
extern int32_t *_array_scrutable_mon_e__source_idx;
extern const int _num__array_scrutable_mon_e__source_idx;
extern int32_t *_array_scrutable_mon_e_count;
extern const int _num__array_scrutable_mon_e_count;
extern int32_t *_array_scrutable_mon_e_N;
extern const int _num__array_scrutable_mon_e_N;
extern int32_t *_array_scrutable_mon_i__source_idx;
extern const int _num__array_scrutable_mon_i__source_idx;
extern int32_t *_array_scrutable_mon_i_count;
extern const int _num__array_scrutable_mon_i_count;
extern int32_t *_array_scrutable_mon_i_N;
extern const int _num__array_scrutable_mon_i_N;
extern double *_array_scrutable_normalize_clock_dt;
extern const int _num__array_scrutable_normalize_clock_dt;
extern double *_array_scrutable_normalize_clock_t;
extern const int _num__array_scrutable_normalize_clock_t;
extern int64_t *_array_scrutable_normalize_clock_timestep;
extern const int _num__array_scrutable_normalize_clock_timestep;
extern double *_array_scrutable_syn_clock_dt;
extern const int _num__array_scrutable_syn_clock_dt;
extern double *_array_scrutable_syn_clock_t;
extern const int _num__array_scrutable_syn_clock_t;
extern int64_t *_array_scrutable_syn_clock_timestep;
extern const int _num__array_scrutable_syn_clock_timestep;
extern int32_t *_array_scrutable_syn_N;
extern const int _num__array_scrutable_syn_N;

//////////////// dynamic arrays 2d /////////

/////////////// static arrays /////////////
extern double *_static_array__array_scrutable_exc_theta;
extern const int _num__static_array__array_scrutable_exc_theta;
extern int32_t *_static_array__dynamic_array_scrutable_input__timebins;
extern const int _num__static_array__dynamic_array_scrutable_input__timebins;
extern int64_t *_static_array__dynamic_array_scrutable_input_neuron_index;
extern const int _num__static_array__dynamic_array_scrutable_input_neuron_index;
extern int64_t *_static_array__dynamic_array_scrutable_input_spike_number;
extern const int _num__static_array__dynamic_array_scrutable_input_spike_number;
extern double *_static_array__dynamic_array_scrutable_input_spike_time;
extern const int _num__static_array__dynamic_array_scrutable_input_spike_time;
extern double *_static_array__dynamic_array_scrutable_syn_delay;
extern const int _num__static_array__dynamic_array_scrutable_syn_delay;
extern double *_static_array__dynamic_array_scrutable_syn_w;
extern const int _num__static_array__dynamic_array_scrutable_syn_w;
extern double *_timedarray_values;
extern const int _num__timedarray_values;

//////////////// synapses /////////////////
// scrutable_ei
extern SynapticPathway scrutable_ei_pre;
// scrutable_ie
extern SynapticPathway scrutable_ie_pre;
// scrutable_syn
extern SynapticPathway scrutable_syn_post;
extern SynapticPathway scrutable_syn_pre;

// Profiling information for each code object
}

void _init_arrays();
void _load_arrays();
void _write_arrays();
void _dealloc_arrays();

#endif


